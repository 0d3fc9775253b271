import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { PolicyRule } from '../cluster/rbacProxy.js';

/** The engine's RBAC as an overlay of provisioning/kubernetes grants it, for RbacProxy to enforce. */
const KUBERNETES = resolve(import.meta.dirname, '..', '..', '..', 'provisioning', 'kubernetes');
export const KUBECTL = '/usr/bin/kubectl';
const ENGINE_SA = { kind: 'ServiceAccount', name: 'aicloudops-engine', namespace: 'aicloudops' };

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
  roleRef?: { kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string }>;
}

/** The engine account's rules as an overlay's bindings grant them: a RoleBinding's in its namespace only. */
export function overlayRules(overlay: 'acting' | 'observe-only'): PolicyRule[] {
  const objects = parseAllDocuments(
    execFileSync(KUBECTL, ['kustomize', join(KUBERNETES, 'overlays', overlay)], { encoding: 'utf8' }),
  ).map((d) => d.toJS() as Obj);
  const role = (kind: string, name: string, namespace?: string) =>
    objects.find(
      (o) =>
        o.kind === kind &&
        o.metadata.name === name &&
        (kind === 'ClusterRole' || o.metadata.namespace === namespace),
    );
  return objects
    .filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')
    .filter((b) => b.subjects?.some((s) => s.kind === ENGINE_SA.kind && s.name === ENGINE_SA.name))
    .flatMap((b) =>
      (role(b.roleRef!.kind, b.roleRef!.name, b.metadata.namespace)?.rules ?? []).map((r) => ({
        ...r,
        ...(b.kind === 'RoleBinding' ? { namespace: b.metadata.namespace } : {}),
      })),
    );
}
