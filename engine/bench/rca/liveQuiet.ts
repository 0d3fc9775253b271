import { analyzeIncident } from '../../src/rca/analyzeIncident.js';
import { rcaConfigSchema, type RcaConfig } from '../../src/rca/config.js';
import { RcaService } from '../../src/rca/RcaService.js';
import { option, quietShop } from './quietShop.js';
import { shopEdges } from '../../src/sim/shop.js';

/**
 * Specificity on the demo shop with no fault: RCA (untargeted, as rca-live starts it, and optionally targeted at each
 * service) at regular times over a stretch of the shop's clock, once per config given; counts the analyses that
 * returned any candidate (all of them false alarms) and prints each. The demo's metrics are a function of time, so
 * the windows are fixed and one collection serves every config.
 *
 *   node --import tsx bench/rca/liveQuiet.ts [--from ISO] [--hours 24] [--every 600] [--targeted]
 *     ['{}' '{"anomaly":{"freshChanges":true}}' ...]
 */

const from = Date.parse(option('from') ?? '2026-12-07T00:00:00Z') / 1000;
const hours = Number(option('hours') ?? 24);
const every = Number(option('every') ?? 600);
const targeted = process.argv.includes('--targeted');
const raw = process.argv.slice(2).filter((a, i, all) => a.startsWith('{') && !all[i - 1]?.startsWith('--'));
const configs: Array<[string, RcaConfig]> = (raw.length ? raw : ['{}']).map((r) => [
  r,
  rcaConfigSchema.parse(JSON.parse(r)),
]);

const { engine, workers, captured } = await quietShop();

const targets: Array<string | undefined> = [undefined];
if (targeted)
  targets.push(
    ...shopEdges()
      .flatMap((e) => [e.from, e.to])
      .filter((s, i, all) => all.indexOf(s) === i),
  );

const alarms = new Map<string, number>(configs.map(([name]) => [name, 0]));
let analyses = 0;
try {
  for (let now = from; now < from + hours * 3600; now += every) {
    const rca = new RcaService(engine.context, { now: () => now, workers });
    for (const target of targets) {
      await rca.analyze({
        namespace: engine.demo!.namespace,
        ...(target ? { target: { service: target } } : {}),
      });
      analyses++;
      for (const [name, config] of configs) {
        const out = analyzeIncident(captured(), config);
        if (out.candidates.length === 0) continue;
        alarms.set(name, alarms.get(name)! + 1);
        const top = out.candidates
          .slice(0, 3)
          .map((c) => `${c.service}:${c.signal}:${c.score.toFixed(2)}`)
          .join(' ');
        console.log(`${new Date(now * 1000).toISOString()} ${target ?? '(all)'} ${name}: ${top}`);
      }
    }
  }
} finally {
  await engine.close();
}
for (const [name, n] of alarms)
  console.log(
    `${name}: candidates in ${n} of ${analyses} analyses with no fault (specificity ${(1 - n / analyses).toFixed(3)})`,
  );
