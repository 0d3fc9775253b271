import { analyzeIncident, scoreMetrics } from '../../src/rca/analyzeIncident.js';
import { rcaConfigSchema, type RcaConfig } from '../../src/rca/config.js';
import { RcaService } from '../../src/rca/RcaService.js';
import type { RcaWorkerPool } from '../../src/rca/worker/RcaWorkerPool.js';
import type { RcaInput } from '../../src/rca/types.js';
import { advance, liveShop, scenarios } from '../rca-live.bench.js';

/**
 * Why an rca-live scenario gets the candidates it gets at one delay: the shop is rebuilt exactly as the benchmark
 * builds it, the RCA's collected input is kept, and every series of the live faults' services is printed with its
 * scores under the defaults and with each gate opened (requireMaterialChange off, symptomMinChange 0), plus its last
 * points against its baseline.
 *
 *   node --import tsx bench/rca/diagnoseLive.ts [--seed 1] [--at ISO] [--delay 30] [--scenario cpu-hog@recommendation]
 *     [--config JSON]   (without --scenario: every scenario of the seed)
 */
function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(option('seed') ?? 1);
const at = Date.parse(option('at') ?? '2026-12-07T03:00:00Z');
const delay = Number(option('delay') ?? 30);
const only = option('scenario');
const base = JSON.parse(option('config') ?? '{}') as Record<string, unknown>;
const config = (extra: Record<string, unknown> = {}): RcaConfig =>
  rcaConfigSchema.parse({ ...base, anomaly: { ...(base.anomaly as object), ...extra } });

const VARIANTS: Array<[string, RcaConfig]> = [
  ['defaults', config()],
  ['freshChanges off', config({ freshChanges: false })],
  ['no material gate', config({ requireMaterialChange: false, freshChanges: false })],
  [
    'no material, minChange 0',
    config({ requireMaterialChange: false, symptomMinChange: 0, freshChanges: false }),
  ],
  ['minOnsetPoints 2', config({ minOnsetPoints: 2, freshChanges: false })],
];
/** Per variant, the runs whose first candidate is a live fault's service. */
const top1 = new Map(VARIANTS.map(([name]) => [name, 0]));
let runs = 0;

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

for (const scenario of scenarios(seed)) {
  if (only && scenario.name !== only) continue;
  const shop = await liveShop(scenario, seed, at, config());
  let captured: RcaInput | undefined;
  const workers = {
    analyze: async (input: RcaInput, rca: RcaConfig) => {
      captured = input;
      return analyzeIncident(input, rca);
    },
    close: async () => {},
  } as unknown as RcaWorkerPool;
  const rca = new RcaService(shop.engine.context, { now: shop.now, workers });
  try {
    advance(shop.engine, shop.clock, delay);
    await rca.analyze({});
    const input = captured!;
    runs++;
    const injected = shop.now() - delay;
    console.log(
      `\n== ${scenario.name} +${delay} s (history ${scenario.history.type}@${scenario.history.service})`,
    );
    for (const [name, cfg] of VARIANTS) {
      const out = analyzeIncident(input, cfg);
      const top = out.candidates
        .slice(0, 3)
        .map((c) => `${c.service}:${c.faultType}:${c.score.toFixed(2)}`)
        .join(' ');
      console.log(`  ${name.padEnd(26)} ${top || `(none: ${out.reason})`}`);
      if (scenario.live.some((f) => f.service === out.candidates[0]?.service))
        top1.set(name, top1.get(name)! + 1);
    }
    const live = new Set(scenario.live.map((f) => f.service));
    const scored = VARIANTS.map(([, cfg]) => scoreMetrics(input, cfg).anomalies);
    for (let i = 0; i < scored[0]!.length; i++) {
      const a = scored[0]![i]!;
      if (!live.has(a.series.service)) continue;
      const s = a.series;
      const tail: string[] = [];
      for (let j = 0; j < s.timestamps.length; j++)
        if (s.timestamps[j]! >= injected - 60)
          tail.push(`${s.timestamps[j]! - injected}:${fmt(s.values[j]!)}`);
      const per = scored.map((v) => {
        const x = v[i]!;
        return `${fmt(x.score)}/${fmt(x.peak)}/${fmt(x.heldPeak)}`;
      });
      console.log(
        `  ${s.service}:${s.signal} (${s.badDirection}) median ${fmt(a.baselineMedian)} scale ${fmt(a.baselineScale)} ` +
          `incident ${fmt(a.incidentValue)}${a.onset ? ` onset ${a.onset - injected}` : ''}${a.sameHoursDays ? ` sameHours ${a.sameHoursDays}d` : ''}` +
          `\n      score/peak/held: ${per.join('  |  ')}\n      last points (s from injection): ${tail.join(' ')}`,
      );
    }
  } finally {
    await shop.engine.close();
  }
}

for (const [name, n] of top1) console.log(`${name}: top-1 ${n} of ${runs}`);
