import {
  createDataFrame,
  FieldColorModeId,
  FieldType,
  NodeGraphDataFrameFieldNames as F,
  type DataFrame,
} from '@grafana/data';
import type { RcaResult } from '../api/types';

/** What the frames need from an RCA result: its service graph and its ranked candidates. */
export type ServiceGraphSource = Pick<RcaResult, 'serviceGraph' | 'candidates'>;

/**
 * The RCA's service graph in Grafana's node-graph frame format (a `nodes` and an `edges` frame, both with
 * `preferredVisualisationType: 'nodeGraph'`), so the node graph panel or Explore draws it as is:
 * - nodes: `id`, `title` (the service), `subTitle` (the candidate's fault type), `mainStat` (its RCA score), `color`
 *   (the score relative to the top candidate, 0..1, on Grafana's green-yellow-red scale) and the `arc__suspect` /
 *   `arc__rest` pair that draws the same share as the node's ring;
 * - edges: `id`, `source` (the caller), `target` (the callee), `mainStat` (where the edge came from: configured,
 *   traces, correlation).
 * Scores are unbounded (evidence × graph factors), so colour is relative to the top candidate: the culprit is red
 * in every analysis, a service with no candidate green.
 */
export function serviceGraphFrames(result: ServiceGraphSource, refId = 'serviceGraph'): [DataFrame, DataFrame] {
  const best = new Map<string, RcaResult['candidates'][number]>();
  for (const c of result.candidates) {
    if (!best.has(c.service) || best.get(c.service)!.score < c.score) {
      best.set(c.service, c);
    }
  }
  const ids = [
    ...new Set([
      ...result.serviceGraph.services,
      ...result.serviceGraph.edges.flatMap((e) => [e.from, e.to]),
      ...best.keys(),
    ]),
  ].sort();
  const top = Math.max(0, ...[...best.values()].map((c) => c.score));
  const share = ids.map((id) => (top > 0 ? (best.get(id)?.score ?? 0) / top : 0));
  const meta = { preferredVisualisationType: 'nodeGraph' as const };

  const nodes = createDataFrame({
    refId,
    name: 'nodes',
    meta,
    fields: [
      { name: F.id, type: FieldType.string, values: ids },
      { name: F.title, type: FieldType.string, values: ids },
      { name: F.subTitle, type: FieldType.string, values: ids.map((id) => best.get(id)?.faultType ?? '') },
      {
        name: F.mainStat,
        type: FieldType.number,
        values: ids.map((id) => best.get(id)?.score ?? null),
        config: { displayName: 'RCA score', decimals: 2 },
      },
      {
        name: F.color,
        type: FieldType.number,
        values: share,
        config: {
          displayName: 'Score vs top candidate',
          min: 0,
          max: 1,
          color: { mode: FieldColorModeId.ContinuousGrYlRd },
        },
      },
      arcField('suspect', share, 'red'),
      arcField(
        'rest',
        share.map((v) => 1 - v),
        'transparent'
      ),
    ],
  });
  const edges = createDataFrame({
    refId,
    name: 'edges',
    meta,
    fields: [
      { name: F.id, type: FieldType.string, values: result.serviceGraph.edges.map((e) => `${e.from}->${e.to}`) },
      { name: F.source, type: FieldType.string, values: result.serviceGraph.edges.map((e) => e.from) },
      { name: F.target, type: FieldType.string, values: result.serviceGraph.edges.map((e) => e.to) },
      {
        name: F.mainStat,
        type: FieldType.string,
        values: result.serviceGraph.edges.map((e) => e.origin),
        config: { displayName: 'Edge from' },
      },
    ],
  });
  return [nodes, edges];
}

function arcField(name: string, values: number[], fixedColor: string) {
  return {
    name: `${F.arc}${name}`,
    type: FieldType.number,
    values,
    config: { color: { mode: FieldColorModeId.Fixed, fixedColor } },
  };
}
