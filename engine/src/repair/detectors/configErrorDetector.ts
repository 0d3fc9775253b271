import { waitingReasonDetector } from './waitingReasonDetector.js';

/** The kubelet's messages for what a container's configuration names but the namespace lacks. */
const MISSING = [
  /(configmap|secret) "([^"]+)" not found/i,
  /couldn't find key (\S+) in (ConfigMap|Secret) (\S+)/i,
];

export function missingReference(messages: string[]): string | undefined {
  for (const message of messages) {
    for (const pattern of MISSING) {
      const m = pattern.exec(message);
      if (!m) continue;
      return m[0].startsWith("couldn't")
        ? `key ${m[1]} in ${m[2]} ${m[3]}`
        : `${m[1]!.toLowerCase()} ${m[2]}`;
    }
  }
  return undefined;
}

/**
 * Containers that cannot be created because a ConfigMap, Secret or key they reference is missing: through env/envFrom
 * (CreateContainerConfigError) or as a volume (stuck in ContainerCreating with a FailedMount naming it).
 */
export const configErrorDetector = waitingReasonDetector({
  name: 'config-error',
  type: 'CreateContainerConfigError',
  reasons: ['CreateContainerConfigError'],
  explainedBy: { waiting: 'ContainerCreating', eventReason: 'FailedMount', message: MISSING[0]! },
  minSeconds: 60,
  describe: 'cannot start: configuration references something missing',
  details: (messages) => {
    const missing = missingReference(messages);
    return missing ? { missing } : {};
  },
});
