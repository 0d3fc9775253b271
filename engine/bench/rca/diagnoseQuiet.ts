import { analyzeIncident, scoreMetrics } from '../../src/rca/analyzeIncident.js';
import { rcaConfigSchema, type RcaConfig } from '../../src/rca/config.js';
import { RcaService } from '../../src/rca/RcaService.js';
import { scoreSeries } from '../../src/rca/anomaly/scoreSeries.js';
import { scoreSameHours } from '../../src/rca/anomaly/scoreSameHours.js';
import { option, quietShop } from './quietShop.js';

/**
 * Why the demo with no fault gets a candidate at one time (liveQuiet's false alarms): the RCA's collected input at
 * `--at`, untargeted, and for every series scored at or above the threshold (score or held) its hour-before and
 * same-hours scores side by side, each earlier day's baseline median and window points (the pool is laid out oldest
 * day first, equal lengths), and the series' last points. --series takes a prefix (`frontend:` for every signal).
 *
 *   node --import tsx bench/rca/diagnoseQuiet.ts --at 2026-12-09T08:20:00Z [--series frontend:latency_p99] [--config JSON]
 */
const at = Date.parse(option('at') ?? '2026-12-09T08:20:00Z') / 1000;
const only = option('series');
const config: RcaConfig = rcaConfigSchema.parse(JSON.parse(option('config') ?? '{}'));
const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(4));

const { engine, workers, captured } = await quietShop();
try {
  await new RcaService(engine.context, { now: () => at, workers }).analyze({
    namespace: engine.demo!.namespace,
  });
} finally {
  await engine.close();
}
const input = captured();
const w = input.window;
console.log(
  `window baselineStart ${w.baselineStart - at} start ${w.start - at} end ${w.end - at} (s from --at)`,
);
const out = analyzeIncident(input, config);
console.log(
  'candidates:',
  out.candidates.map((c) => `${c.service}:${c.signal}:${c.score.toFixed(2)}`).join(' ') || out.reason,
);
const { anomalies } = scoreMetrics(input, config);
const describe = (name: string, a: ReturnType<typeof scoreSeries>) =>
  a
    ? `${name}: median ${fmt(a.baselineMedian)} scale ${fmt(a.baselineScale)} incident ${fmt(a.incidentValue)} ` +
      `score ${fmt(a.score)} peak ${fmt(a.peak)} held ${fmt(a.heldPeak)}${a.onset ? ` onset ${a.onset - at}` : ''}` +
      `${a.earlierIncident ? ' earlierIncident' : ''}`
    : `${name}: none`;
for (const a of anomalies) {
  const key = `${a.series.service}:${a.series.signal}`;
  if (only ? !key.startsWith(only) : Math.max(a.score, a.heldPeak) < config.anomaly.threshold) continue;
  const s = a.series;
  console.log(`\n== ${key} (${s.badDirection})`);
  console.log('  ' + describe('kept     ', a));
  console.log('  ' + describe('hour     ', scoreSeries(s, w, config.anomaly)));
  console.log('  ' + describe('sameHours', scoreSameHours(s, w, config.anomaly)));
  if (s.sameHours)
    console.log(
      `  sameHours ${s.sameHours.days} d, ${s.sameHours.values.length} pts, median ${fmt([...s.sameHours.values].sort((x, y) => x - y)[s.sameHours.values.length >> 1]!)}`,
    );
  if (s.sameHours && s.sameHours.values.length % s.sameHours.days === 0) {
    const per = s.sameHours.values.length / s.sameHours.days;
    const part = Math.round((per * (w.start - w.baselineStart)) / (w.end - w.baselineStart));
    for (let d = 0; d < s.sameHours.days; d++) {
      const chunk = s.sameHours.values.slice(d * per, (d + 1) * per);
      const b = [...chunk.slice(0, part)].sort((x, y) => x - y);
      console.log(
        `  day -${s.sameHours.days - d}: baseline median ${fmt(b[b.length >> 1]!)}, window ${chunk.slice(part).map(fmt).join(' ')}`,
      );
    }
  }
  const pts: string[] = [];
  for (let i = 0; i < s.timestamps.length; i++)
    if (s.timestamps[i]! >= w.start - 600) pts.push(`${s.timestamps[i]! - at}:${fmt(s.values[i]!)}`);
  console.log('  points: ' + pts.join(' '));
}
