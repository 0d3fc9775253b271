import { DependencyGraph, DependencyGraphTypes } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { useMemo } from 'react';
import { alpha, useTheme } from '@mui/material/styles';
import type { RcaResult } from '../api/types';
import { aiCloudOpsTranslationRef } from '../translation';

/** Test ids for the browser test and screenshots: keep them stable. */
export const serviceGraphTestIds = {
  graph: 'aicloudops-service-graph',
  node: 'aicloudops-service-graph-node',
} as const;

/**
 * Most services the card draws. Seen in Chromium on the demo shop: the whole graph (11 services, 8 in one rank) scaled
 * down in a half-width card until the node labels were unreadable; fewer services keep them legible.
 */
const MAX_SERVICES = 8;

export interface ServiceNodeData {
  // Not `rank`: dagre writes its own layer rank into the node objects it lays out.
  /** 1-based rank among the candidates; undefined: not a candidate. */
  candidateRank?: number;
  candidateScore?: number;
  /** Score over the best candidate's (scores are unbounded); shade of the node. */
  share: number;
  target: boolean;
}

type GraphNode = DependencyGraphTypes.DependencyNode<ServiceNodeData>;
type GraphEdge = DependencyGraphTypes.DependencyEdge<{ origin: string }>;

/** The graph's nodes and edges: every candidate and the target, with as much of their surroundings as fits. */
export function serviceGraphData(result: Pick<RcaResult, 'serviceGraph' | 'candidates' | 'target'>): {
  nodes: GraphNode[];
  edges: GraphEdge[];
} {
  const { services, edges } = result.serviceGraph;
  const best = Math.max(0, ...result.candidates.map((c) => c.score));
  const rankOf = new Map(result.candidates.map((c, i) => [c.service, { rank: i + 1, score: c.score }]));
  const focus = new Set([...rankOf.keys(), ...(result.target ? [result.target.service] : [])]);
  // The whole graph if small; else the candidates, the target and their neighbours; else those alone.
  const neighbours = new Set(focus);
  for (const e of edges) {
    if (focus.has(e.from) || focus.has(e.to)) [e.from, e.to].forEach((s) => neighbours.add(s));
  }
  const keep =
    [new Set([...focus, ...services]), neighbours].find((set) => set.size <= MAX_SERVICES) ?? focus;
  const nodes = [...keep].sort().map((id): GraphNode => {
    const c = rankOf.get(id);
    return {
      id,
      ...(c ? { candidateRank: c.rank, candidateScore: c.score } : {}),
      share: c && best > 0 ? Math.max(0, c.score) / best : 0,
      target: result.target?.service === id,
    };
  });
  const graphEdges = edges
    .filter((e) => keep.has(e.from) && keep.has(e.to))
    .map((e) => ({ from: e.from, to: e.to, origin: e.origin }));
  return { nodes, edges: graphEdges };
}

const NODE_WIDTH = 128;
const NODE_HEIGHT = 44;

function ServiceNode({ node }: { node: GraphNode }) {
  const theme = useTheme();
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  // Shade from the paper colour towards the error colour with the score share; capped at 0.55 so the label keeps
  // its contrast on both themes. The rank and score are written in the node: colour is never the only cue.
  const fill = node.candidateRank
    ? alpha(theme.palette.error.main, 0.12 + 0.43 * node.share)
    : theme.palette.background.paper;
  const detail = node.candidateRank
    ? t('serviceGraph.rankScore', {
        rank: String(node.candidateRank),
        score: node.candidateScore!.toFixed(2),
      })
    : t('serviceGraph.notCandidate');
  return (
    <g data-testid={serviceGraphTestIds.node} data-service={node.id} data-rank={node.candidateRank ?? ''}>
      <title>{`${node.id}${node.target ? t('serviceGraph.analysed') : ''}: ${detail}`}</title>
      <rect
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={6}
        fill={fill}
        stroke={node.target ? theme.palette.text.primary : theme.palette.divider}
        strokeWidth={node.target ? 2.5 : 1}
        strokeDasharray={node.candidateRank ? undefined : '4 3'}
      />
      <text
        x={NODE_WIDTH / 2}
        y={18}
        textAnchor="middle"
        fill={theme.palette.text.primary}
        fontSize={13}
        fontWeight={600}
      >
        {node.target ? `${node.id} ◎` : node.id}
      </text>
      <text x={NODE_WIDTH / 2} y={35} textAnchor="middle" fill={theme.palette.text.primary} fontSize={11}>
        {detail}
      </text>
    </g>
  );
}

/**
 * The RCA's service graph with candidates shaded by score, drawn by Backstage's own DependencyGraph (dagre layout,
 * zoom, SVG that themes and screen readers read) rather than a second graph library.
 */
export function ServiceGraph({
  result,
}: {
  result: Pick<RcaResult, 'serviceGraph' | 'candidates' | 'target'>;
}) {
  const theme = useTheme();
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  // Memoised: DependencyGraph lays out again whenever the arrays' identity changes.
  const { nodes, edges } = useMemo(() => serviceGraphData(result), [result]);
  if (nodes.length === 0) return null;
  const target = result.target?.service;
  return (
    <figure
      data-testid={serviceGraphTestIds.graph}
      aria-label={target ? t('serviceGraph.labelAround', { target }) : t('serviceGraph.label')}
      style={{ margin: 0 }}
    >
      <DependencyGraph<ServiceNodeData, { origin: string }>
        nodes={nodes}
        edges={edges}
        direction={DependencyGraphTypes.Direction.TOP_BOTTOM}
        renderNode={ServiceNode}
        renderLabel={() => null}
        showArrowHeads
        zoom="enable-on-click"
        fit="contain"
        allowFullscreen={false}
        nodeMargin={24}
        rankMargin={40}
        paddingX={8}
        paddingY={8}
        style={{ maxHeight: 360 }}
      />
      <figcaption
        style={{ color: theme.palette.text.secondary, fontSize: theme.typography.caption.fontSize }}
      >
        {target ? t('serviceGraph.captionTarget', { target }) : t('serviceGraph.caption')}
      </figcaption>
    </figure>
  );
}
