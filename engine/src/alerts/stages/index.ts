import type { AlertsConfig } from '../config.js';
import type { TrackedAlert } from '../types.js';
import type { AlertStage } from './AlertStage.js';
import { ContextAlertStage } from './ContextAlertStage.js';
import { DeduplicationStage } from './DeduplicationStage.js';
import { FlapDetectionStage } from './FlapDetectionStage.js';
import { GroupKeyStage } from './GroupKeyStage.js';
import { InhibitionStage } from './InhibitionStage.js';
import { KubernetesChainStage } from './KubernetesChainStage.js';
import { LabelGroupingStage } from './LabelGroupingStage.js';
import { PagingStage } from './PagingStage.js';
import { RepairSuppressionStage } from './RepairSuppressionStage.js';
import { ServiceGraphStage } from './ServiceGraphStage.js';
import { SuppressionWindowStage } from './SuppressionWindowStage.js';
import { TopologyInhibitionStage } from './TopologyInhibitionStage.js';

export type { AlertStage, LinkProposal, PipelineState } from './AlertStage.js';

export interface Stages {
  all: AlertStage[];
  dedup: DeduplicationStage;
  suppressions: SuppressionWindowStage;
  paging: PagingStage;
}

/**
 * The one place stages are registered, in the order the pipeline consults them. Mute stages are asked in this order
 * and the first reason wins; link proposals are ranked by the pipeline (see AlertPipeline.LINK_STRENGTH).
 */
export function createStages(
  config: AlertsConfig,
  muteOf: (alert: TrackedAlert, now: number) => unknown,
): Stages {
  const dedup = new DeduplicationStage();
  const suppressions = new SuppressionWindowStage();
  const paging = new PagingStage(config, muteOf);
  const all: AlertStage[] = [
    dedup,
    new FlapDetectionStage(config.flap),
    suppressions,
    new RepairSuppressionStage(config.repairLabel),
    // Before the inhibition stages: an inhibited alert still bridges joins, an informational one never does.
    new ContextAlertStage(config.contextMatchers),
    new InhibitionStage(config.inhibitRules),
    new TopologyInhibitionStage(config.topology),
    ...(config.respectGroupKey ? [new GroupKeyStage(config.serviceLabels)] : []),
    new LabelGroupingStage(config.groupBy),
    ...(config.topologyGrouping
      ? [new ServiceGraphStage(config.topology.serviceDownMatchers), new KubernetesChainStage()]
      : []),
    paging,
  ];
  return { all, dedup, suppressions, paging };
}
