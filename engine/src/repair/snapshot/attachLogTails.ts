import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Finding, FindingType } from '../types.js';
import { redactSecretsText } from '../../util/redact.js';

export type PodLogReader = (
  namespace: string,
  pod: string,
  options: { container?: string; tailLines: number; previous: boolean },
) => Promise<string>;

export function clientNodeLogReader(kc: KubeConfig): PodLogReader {
  const core = kc.makeApiClient(CoreV1Api);
  return async (namespace, name, o) =>
    String(
      (await core.readNamespacedPodLog({
        namespace,
        name,
        container: o.container,
        tailLines: o.tailLines,
        previous: o.previous,
      })) ?? '',
    );
}

/** Findings whose cause is in the crashed container's last run (`--previous`), not in the one just started. */
const PREVIOUS_RUN: FindingType[] = ['CrashLoopBackOff', 'OOMKilled', 'ProbeFailing'];
const LOG_TYPES: FindingType[] = [...PREVIOUS_RUN, 'CreateContainerConfigError'];

/**
 * Adds the log tail of the first affected pod and container to pod-level findings. Best effort: a pod gone or a log
 * the API refuses leaves the tail empty rather than failing the scan. Returns new findings; the inputs are unchanged.
 */
export async function attachLogTails(
  findings: Finding[],
  read: PodLogReader,
  tailLines = 20,
): Promise<Finding[]> {
  return Promise.all(
    findings.map(async (finding) => {
      const pod = finding.details.pods?.[0];
      if (!LOG_TYPES.includes(finding.type) || !pod) return finding;
      try {
        const text = await read(finding.object.namespace, pod, {
          container: finding.details.containers?.[0],
          tailLines,
          previous: PREVIOUS_RUN.includes(finding.type),
        });
        // Findings are served to viewers and sent to the repair model: a crashed run's last lines often print its
        // connection string or a `password=` of its config.
        const logTail = text
          .split('\n')
          .filter((line) => line.trim() !== '')
          .slice(-tailLines)
          .map(redactSecretsText);
        return { ...finding, evidence: { ...finding.evidence, logTail } };
      } catch {
        return finding;
      }
    }),
  );
}
