import type { RcaConfig } from '../config.js';
import type { SeriesAnomaly } from '../anomaly/scoreSeries.js';
import {
  rankCandidates,
  type RankInput,
  type RankOutput,
  type ServiceSideEvidence,
} from './rankCandidates.js';

type Modality = 'metrics' | 'traces' | 'logs';

/**
 * Ranks with every kind of evidence together, then, when more than one kind (metrics with Kubernetes events, traces,
 * logs) has something to say, ranks each kind on its own and fuses them. Scores from different kinds are not on one
 * scale (a one-hour minute-resolution baseline against two minutes of spans; a robust z against a Poisson z of
 * template counts), so they are never added as they are: within each kind a service counts log(1 + its score / the
 * kind's runner-up score), the runner-up floored at the anomaly threshold. A service that stands out in its kind
 * counts for much, one in a crowd of similar scores for little, and a kind where nothing stands out hardly votes.
 * (Reciprocal-rank fusion, tried first, gives the first place of a kind one full vote however weak it is; on the
 * Nezha TrainTicket folder it put the right service first in 0.178 of the faults against 0.244.) The joint ranking still decides
 * whether there is an incident at all, supplies each candidate's evidence and breaks ties.
 */
export function rankByModality(input: RankInput, config: RcaConfig): RankOutput {
  const wide = { ...config, ranking: { ...config.ranking, maxCandidates: Number.MAX_SAFE_INTEGER } };
  const joint = rankCandidates(input, wide);
  const limit = config.ranking.maxCandidates;
  if (joint.candidates.length === 0) return joint;

  const threshold = config.anomaly.threshold;
  const modalityOf = (a: SeriesAnomaly): Modality => a.series.modality ?? 'metrics';
  const groups: Array<{
    modality: Modality;
    anomalies: SeriesAnomaly[];
    side: Map<string, ServiceSideEvidence>;
  }> = [];
  for (const modality of ['metrics', 'traces'] as const) {
    const anomalies = input.anomalies.filter((a) => modalityOf(a) === modality);
    // Kubernetes events and changes travel with the metrics, as they always did: both describe the platform's view.
    const side = new Map<string, ServiceSideEvidence>();
    if (modality === 'metrics') {
      for (const [service, s] of input.side)
        if (s.kubernetesScore > 0) side.set(service, { ...s, logs: [], logScore: 0 });
    }
    if (anomalies.some((a) => a.score >= threshold) || side.size > 0)
      groups.push({ modality, anomalies, side });
  }
  const logSide = new Map<string, ServiceSideEvidence>();
  for (const [service, s] of input.side) {
    if (s.logScore > 0)
      logSide.set(service, { ...s, events: [], changes: [], kubernetesScore: 0, faultType: undefined });
  }
  if (logSide.size > 0) groups.push({ modality: 'logs', anomalies: [], side: logSide });
  const caveat = joint.reason ? { reason: joint.reason } : {};
  if (groups.length < 2) return { candidates: joint.candidates.slice(0, limit), ...caveat };

  const fused = new Map<string, number>();
  for (const group of groups) {
    // The target is the symptom of one kind only; other kinds rank without it rather than fail its check.
    const hasTarget =
      input.target &&
      group.anomalies.some(
        (a) =>
          a.series.service === input.target!.service &&
          (!input.target!.signal || a.series.signal === input.target!.signal),
      );
    const ranked = rankCandidates(
      {
        ...input,
        anomalies: group.anomalies,
        side: group.side,
        target: hasTarget ? input.target : undefined,
      },
      wide,
    );
    const runnerUp = Math.max(threshold, ranked.candidates[1]?.score ?? 0);
    for (const c of ranked.candidates)
      fused.set(c.service, (fused.get(c.service) ?? 0) + Math.log1p(c.score / runnerUp));
  }
  const order = new Map(joint.candidates.map((c, i) => [c.service, i]));
  const candidates = joint.candidates
    .filter((c) => fused.has(c.service))
    .sort(
      (a, b) =>
        fused.get(b.service)! - fused.get(a.service)! || order.get(a.service)! - order.get(b.service)!,
    )
    .slice(0, limit)
    .map((c) => ({ ...c, score: Math.round(fused.get(c.service)! * 1000) / 1000 }));
  return { candidates, ...caveat };
}
