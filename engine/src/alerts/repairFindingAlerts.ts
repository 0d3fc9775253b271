import type { Logger } from 'pino';
import type { RepairScan } from '../repair/RepairService.js';
import type { Finding } from '../repair/types.js';
import type { AlertService, InternalAlert } from './AlertService.js';

/**
 * Repair findings as first-class alerts: each finding of a scan fires (re-sending one that already fires changes
 * nothing, the pipeline is idempotent on fingerprint and start), and a finding missing from the next scan resolves.
 * Labels name the workload the way Kubernetes alerts do (namespace, service, workload; a node as `node`), so the
 * pipeline's label and topology grouping joins a finding to the incident its Alertmanager alerts opened.
 */
export function repairFindingSink(
  service: Pick<AlertService, 'raise'>,
  logger: Pick<Logger, 'warn'>,
): (scan: RepairScan) => void {
  let firing = new Map<string, Finding>();
  let queue = Promise.resolve();
  return (scan) => {
    const current = new Map(scan.findings.map((f) => [f.fingerprint, f]));
    // A finding whose severity changed is another alert (severity is a label, so part of the alert's fingerprint):
    // the one raised before is resolved, or it fired on forever beside the new one and its incident never closed.
    const cleared = [...firing.values()].filter((f) => current.get(f.fingerprint)?.severity !== f.severity);
    firing = current;
    // One scan at a time, in order: a resolution must not overtake the firing it closes.
    queue = queue
      .then(async () => {
        for (const finding of current.values()) await service.raise(findingAlert(finding, 'firing', scan.at));
        for (const finding of cleared) await service.raise(findingAlert(finding, 'resolved', scan.at));
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'raising repair findings as alerts failed'));
  };
}

/**
 * What the finding is about, in the labels the pipeline reads placement from. A Node is not a service: as `service` it
 * became the incident's service and its automatic RCA failed (`no series or workload named "sim-node-2"`). It is
 * `node`, as a KubeNodeNotReady names it, so it groups with the alerts of pods placed on it (Pod → Node), and it has
 * no namespace (cluster-scoped; an empty label value is no label in Prometheus' model) nor a workload label (with no
 * service graph a workload names its own service).
 */
function subjectLabels(workload: Finding['workload']): Record<string, string> {
  if (workload.kind === 'Node') return { node: workload.name };
  return {
    ...(workload.namespace ? { namespace: workload.namespace } : {}),
    service: workload.name,
    workload: `${workload.kind}/${workload.name}`,
  };
}

export function findingAlert(finding: Finding, status: 'firing' | 'resolved', at: string): InternalAlert {
  const { workload } = finding;
  return {
    source: 'repair',
    status,
    labels: {
      alertname: `Repair${finding.type}`,
      finding: finding.type,
      severity: finding.severity,
      ...subjectLabels(workload),
      repair_fingerprint: finding.fingerprint,
    },
    annotations: { summary: finding.message },
    startsAt: Date.parse(finding.since),
    ...(status === 'resolved' ? { endsAt: Date.parse(at) } : {}),
  };
}
