import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

/**
 * What a panel asks the engine for: the model's forecast band, an anomaly score, the signal itself, or the service
 * graph of a root-cause analysis (node and edge frames for the node graph panel).
 */
export type QueryKind = 'forecast' | 'anomaly-score' | 'history' | 'service-graph';

export interface CloudOpsQuery extends DataQuery {
  kind: QueryKind;
  service: string;
  /** A configured signal name (GET /api/v1/signals), e.g. `request_rate`. */
  signal: string;
  /** Omitted means the engine's default namespace. */
  namespace?: string;
  /** Forecast horizon; the engine's configured default when omitted. */
  horizonMinutes?: number;
  /** `service-graph`: the RCA to draw (its job id); omitted means the newest RCA (of `namespace` when given). */
  rcaId?: string;
}

export const DEFAULT_QUERY: Partial<CloudOpsQuery> = {
  kind: 'forecast',
  signal: 'request_rate',
  horizonMinutes: 60,
};

export interface CloudOpsDataSourceOptions extends DataSourceJsonData {
  engineUrl?: string;
  /** Namespace of queries that name none; the demo shop's by default. */
  defaultNamespace?: string;
}

export interface CloudOpsSecureJsonData {
  engineToken?: string;
}
