import React, { useId, useMemo } from 'react';
import { css } from '@emotion/css';
import {
  getDisplayProcessor,
  NodeGraphDataFrameFieldNames as F,
  type DataFrame,
  type Field,
  type GrafanaTheme2,
} from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { t } from '@grafana/i18n';
import { testIds } from '../testIds';
import { UNESCAPED } from '../../locales/unescaped';
import { layoutGraph, type GraphLayout } from './layoutGraph';
import { formatScore } from './formatScore';

export interface ServiceGraphProps {
  /** Grafana node-graph frames: nodes then edges (serviceGraphFrames). */
  frames: [DataFrame, DataFrame];
}

const R = 22;

/**
 * The RCA's service graph drawn from the same node and edge frames the datasource returns for Grafana's node graph
 * panel, read the way that panel reads them (the `color` field through Grafana's display processor, the `arc__`
 * share as the node's ring, `mainStat` inside, `title`/`subTitle` below). Why not Grafana's own component: in
 * @grafana/ui 12.4.10 the node graph is not exported (only NodeGraphDataFrameFieldNames; the component lives in
 * Grafana's core panel, public/app/plugins/panel/nodeGraph), and PanelRenderer needs a started Grafana instance
 * ("PanelRenderer can only be used after Grafana instance has been started" in the harness), so the page draws the
 * frames itself in SVG with theme colours; dashboards get the real node graph panel from the datasource's
 * `service-graph` query.
 */
export function ServiceGraph({ frames }: ServiceGraphProps) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const titleId = useId();
  const markerId = `arrow-${titleId.replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const graph = useMemo(() => readGraph(frames, theme), [frames, theme]);
  const layout = useMemo(
    () =>
      layoutGraph(
        graph.nodes.map((n) => n.id),
        graph.edges
      ),
    [graph]
  );
  if (graph.nodes.length === 0) {
    return null;
  }
  const top = [...graph.nodes].filter((n) => n.score !== null).sort((a, b) => b.score! - a.score!)[0];
  const counts = { services: graph.nodes.length, calls: graph.edges.length };
  const label = top
    ? t(
        'rca.graph.label-top',
        'Service graph: {{services}} services, {{calls}} calls; top candidate {{top}} (score {{score}})',
        {
          ...counts,
          top: top.id,
          score: formatScore(top.score!),
          ...UNESCAPED,
        }
      )
    : t('rca.graph.label', 'Service graph: {{services}} services, {{calls}} calls; no candidate', counts);

  return (
    <figure className={s.figure} data-testid={testIds.rootCause.serviceGraph}>
      <svg
        role="img"
        aria-labelledby={titleId}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width="100%"
        style={{ maxHeight: layout.height, maxWidth: layout.width }}
      >
        <title id={titleId}>{label}</title>
        <defs>
          <marker id={markerId} viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M 0 0 L 10 5 L 0 10 z" fill={theme.colors.text.secondary} />
          </marker>
        </defs>
        {graph.edges.map((e) => (
          <Edge key={`${e.source}->${e.target}`} layout={layout} edge={e} marker={markerId} theme={theme} />
        ))}
        {graph.nodes.map((n) => (
          <Node key={n.id} node={n} at={layout.positions.get(n.id)!} theme={theme} />
        ))}
      </svg>
      <figcaption className={s.caption}>
        {t(
          'rca.graph.caption',
          'Calls flow left to right (caller → callee). Colour and ring: RCA score relative to the top candidate, green (none) to red (top); the number is the score.'
        )}
      </figcaption>
    </figure>
  );
}

interface GraphNode {
  id: string;
  title: string;
  subTitle: string;
  score: number | null;
  color: string;
  share: number;
}

interface GraphEdge {
  source: string;
  target: string;
  origin: string;
}

function Node({ node, at, theme }: { node: GraphNode; at: { x: number; y: number }; theme: GrafanaTheme2 }) {
  const circumference = 2 * Math.PI * R;
  return (
    <g data-testid={testIds.rootCause.graphNode} data-service={node.id} transform={`translate(${at.x},${at.y})`}>
      <circle r={R} fill={theme.colors.background.primary} stroke={theme.colors.border.medium} strokeWidth={4} />
      {node.share > 0 && (
        <circle
          r={R}
          fill="none"
          stroke={node.color}
          strokeWidth={4}
          strokeDasharray={`${node.share * circumference} ${circumference}`}
          transform="rotate(-90)"
        />
      )}
      <circle r={R - 6} fill={node.color} fillOpacity={0.25} />
      <text textAnchor="middle" dy="0.35em" fontSize={11} fill={theme.colors.text.primary}>
        {node.score === null ? '' : formatScore(node.score)}
      </text>
      <text textAnchor="middle" y={R + 15} fontSize={12} fill={theme.colors.text.primary} {...halo(theme)}>
        {node.title}
      </text>
      {node.subTitle && (
        <text textAnchor="middle" y={R + 29} fontSize={11} fill={theme.colors.text.secondary} {...halo(theme)}>
          {node.subTitle}
        </text>
      )}
    </g>
  );
}

/** A outline in the background colour behind labels, so edges passing under a name do not strike through it. */
function halo(theme: GrafanaTheme2) {
  return {
    stroke: theme.colors.background.secondary,
    strokeWidth: 4,
    paintOrder: 'stroke',
    strokeLinejoin: 'round' as const,
  };
}

function Edge(props: { layout: GraphLayout; edge: GraphEdge; marker: string; theme: GrafanaTheme2 }) {
  const a = props.layout.positions.get(props.edge.source);
  const b = props.layout.positions.get(props.edge.target);
  if (!a || !b) {
    return null;
  }
  // From circle edge to circle edge, so the arrow head stays visible.
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const ux = (b.x - a.x) / len;
  const uy = (b.y - a.y) / len;
  return (
    <line
      x1={a.x + ux * (R + 2)}
      y1={a.y + uy * (R + 2)}
      x2={b.x - ux * (R + 4)}
      y2={b.y - uy * (R + 4)}
      stroke={props.theme.colors.text.secondary}
      strokeWidth={1.5}
      strokeDasharray={props.edge.origin === 'configured' ? undefined : '4 3'}
      markerEnd={`url(#${props.marker})`}
    />
  );
}

/** Nodes and edges out of the frames by Grafana's node-graph field names; colours via the fields' display processor. */
function readGraph([nodes, edges]: [DataFrame, DataFrame], theme: GrafanaTheme2) {
  const field = (frame: DataFrame, name: string): Field | undefined => frame.fields.find((f) => f.name === name);
  const values = (frame: DataFrame, name: string) => field(frame, name)?.values ?? [];
  const colorField = field(nodes, F.color);
  const display = colorField ? getDisplayProcessor({ field: colorField, theme }) : undefined;
  const ids = values(nodes, F.id) as string[];
  const arc = values(nodes, `${F.arc}suspect`) as number[];
  const graphNodes: GraphNode[] = ids.map((id, i) => ({
    id,
    title: String(values(nodes, F.title)[i] ?? id),
    subTitle: String(values(nodes, F.subTitle)[i] ?? ''),
    score: (values(nodes, F.mainStat)[i] as number | null | undefined) ?? null,
    color: display?.(colorField!.values[i]).color ?? theme.colors.text.secondary,
    share: arc[i] ?? 0,
  }));
  const graphEdges: GraphEdge[] = (values(edges, F.source) as string[]).map((source, i) => ({
    source,
    target: String(values(edges, F.target)[i]),
    origin: String(values(edges, F.mainStat)[i] ?? ''),
  }));
  return { nodes: graphNodes, edges: graphEdges };
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css`
    margin: ${theme.spacing(2, 0)};
    padding: ${theme.spacing(1)};
    background: ${theme.colors.background.secondary};
    border-radius: ${theme.shape.radius.default};
    max-width: 960px;
  `,
  caption: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
