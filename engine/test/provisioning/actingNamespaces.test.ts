import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KUBECTL, overlayRules } from './overlayRbac.js';

/**
 * The acting overlay names the namespaces the autoscaler may apply in twice: in the engine's policy (an env var)
 * and in the RoleBindings that grant the scale subresource. A namespace added to one and not the other passes every
 * other check and fails only at apply time (a 502 naming the missing permission, rbacAutoscale.test.ts), so the two
 * lists are compared here.
 */
const ACTING = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'provisioning',
  'kubernetes',
  'overlays',
  'acting',
);
const POLICY_ENV = 'AICLOUDOPS_FORECAST__AUTOSCALE__POLICY__NAMESPACES';

interface Container {
  env?: Array<{ name: string; value?: string }>;
}

function policyNamespaces(): string[] {
  const engine = parseAllDocuments(execFileSync(KUBECTL, ['kustomize', ACTING], { encoding: 'utf8' }))
    .map(
      (d) =>
        d.toJS() as {
          kind: string;
          metadata: { name: string };
          spec?: { template: { spec: { containers: Container[] } } };
        },
    )
    .find((o) => o.kind === 'Deployment' && o.metadata.name === 'aicloudops-engine');
  const value = engine?.spec?.template.spec.containers[0]?.env?.find((e) => e.name === POLICY_ENV)?.value;
  return JSON.parse(value ?? '[]') as string[];
}

/** Namespaces where the engine may patch both workloads' scale subresources (a RoleBinding each, or everywhere). */
function scaleNamespaces(): string[] {
  const grants = (resource: string) =>
    overlayRules('acting').filter(
      (r) => r.apiGroups.includes('apps') && r.resources.includes(resource) && r.verbs.includes('patch'),
    );
  const namespaces = (resource: string) => new Set(grants(resource).map((r) => r.namespace ?? '*'));
  const deployments = namespaces('deployments/scale');
  return [...namespaces('statefulsets/scale')].filter((n) => deployments.has(n)).sort();
}

describe.skipIf(!existsSync(KUBECTL))('the acting overlay', () => {
  it('lets the autoscaler apply in exactly the namespaces its RoleBindings grant the scale subresource in', () => {
    const policy = policyNamespaces();
    expect(policy.length).toBeGreaterThan(0);
    expect([...policy].sort()).toEqual(scaleNamespaces());
  });
});
