import type { IncidentWindow, ServiceEdge, SignalSeries } from '../types.js';
import { median, pearson } from '../stats/robust.js';
import { signalKind } from '../rank/signalKind.js';
import type { RcaConfig } from '../config.js';

export interface CorrelationGraphSettings {
  /** Pearson correlation of the step-to-step changes of two services' request counts that makes them neighbours. */
  minCorrelation: number;
  /** Fewest shared baseline points before a pair is judged at all. */
  minPoints: number;
}

/** The settings as the RCA configuration gives them: a pair needs as many points as a series needs to be scored. */
export function correlationGraphSettings(config: RcaConfig): CorrelationGraphSettings {
  return { minCorrelation: config.graph.minCorrelation, minPoints: config.anomaly.minBaselinePoints };
}

/**
 * Service graph edges learned from the baseline when nobody supplied any (no config, no request metrics between
 * services, no traces). Two services are neighbours when their request counts change together from one step to the next:
 * differences, not levels, so the daily load curve that moves every service alike does not link them all. The edge
 * points from the slower to the faster of the two on a latency signal both report, because a synchronous caller
 * waits for its callee and so is the slower one. Pairs without a shared traffic and latency signal stay unlinked:
 * an edge of unknown direction would mislead the ranking more than none.
 */
export function learnGraphFromCorrelation(
  series: SignalSeries[],
  window: IncidentWindow,
  settings: CorrelationGraphSettings,
): ServiceEdge[] {
  const profiles = new Map<string, { traffic: Map<string, Grid>; latency: Map<string, number> }>();
  for (const s of series) {
    if ((s.modality ?? 'metrics') !== 'metrics' || s.perspective === 'client') continue;
    // Traffic is what counts requests (a series with eventsPerUnit), not bytes or syscalls, which move with anything.
    const kind = s.eventsPerUnit ? 'traffic' : signalKind(s.signal);
    if (kind !== 'traffic' && kind !== 'latency') continue;
    const points = new Map<number, number>();
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i]!;
      const v = s.values[i]!;
      if (t >= window.baselineStart && t < window.start && Number.isFinite(v)) points.set(t, v);
    }
    if (points.size < settings.minPoints) continue;
    let profile = profiles.get(s.service);
    if (!profile) profiles.set(s.service, (profile = { traffic: new Map(), latency: new Map() }));
    if (kind === 'traffic') profile.traffic.set(s.signal, onGrid(points));
    else profile.latency.set(s.signal, median([...points.values()]));
  }

  const edges: ServiceEdge[] = [];
  const services = [...profiles.keys()].sort();
  for (let i = 0; i < services.length; i++) {
    for (let j = i + 1; j < services.length; j++) {
      const a = profiles.get(services[i]!)!;
      const b = profiles.get(services[j]!)!;
      const trafficSignal = [...a.traffic.keys()].find((name) => b.traffic.has(name));
      const latencySignal = [...a.latency.keys()].find((name) => b.latency.has(name));
      if (!trafficSignal || !latencySignal) continue;
      const la = a.latency.get(latencySignal)!;
      const lb = b.latency.get(latencySignal)!;
      if (la === lb) continue;
      if (
        changeCorrelation(a.traffic.get(trafficSignal)!, b.traffic.get(trafficSignal)!, settings.minPoints) <
        settings.minCorrelation
      )
        continue;
      const [from, to] = la > lb ? [services[i]!, services[j]!] : [services[j]!, services[i]!];
      edges.push({ from, to, origin: 'correlation' });
    }
  }
  return edges;
}

/** Pearson correlation of step-to-step differences where both series have consecutive steps on the same grid. */
function changeCorrelation(gridA: Grid, gridB: Grid, minPoints: number): number {
  if (gridA.step !== gridB.step) return 0;
  const da: number[] = [];
  const db: number[] = [];
  for (const [slot, va] of gridA.values) {
    const vb = gridB.values.get(slot);
    const pa = gridA.values.get(slot - 1);
    const pb = gridB.values.get(slot - 1);
    if (vb === undefined || pa === undefined || pb === undefined) continue;
    da.push(va - pa);
    db.push(vb - pb);
  }
  return da.length + 1 >= minPoints ? pearson(da, db) : 0;
}

function typicalStep(times: number[]): number {
  const sorted = times.slice().sort((x, y) => x - y);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) gaps.push(sorted[i]! - sorted[i - 1]!);
  // Whole seconds, so two series scraped at the same interval get the same grid despite jitter.
  return gaps.length ? Math.max(1, Math.round(median(gaps))) : 0;
}

/**
 * Points keyed by their step slot rather than their exact timestamp: pods scraped separately report the same minute
 * a few hundred ms apart. Built once per series, not once per pair.
 */
interface Grid {
  step: number;
  values: Map<number, number>;
}

function onGrid(points: Map<number, number>): Grid {
  const step = typicalStep([...points.keys()]);
  const values = new Map<number, number>();
  if (step > 0) for (const [t, v] of points) values.set(Math.round(t / step), v);
  return { step, values };
}
