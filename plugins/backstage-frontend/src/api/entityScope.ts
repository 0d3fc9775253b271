import type { EntityScope, FindingDto, IncidentDto, RepairActionDto } from './types';

/*
 * The engine lists findings, approvals and incidents for the whole cluster; an entity tab shows the entity's own.
 * An item is the entity's when it names one of the entity's workloads (or its service) in the entity's namespace.
 */

const inNamespace = (scope: EntityScope, namespace: string | undefined) =>
  !scope.namespace || !namespace || namespace === scope.namespace;

export function isEntityFinding(scope: EntityScope, f: FindingDto): boolean {
  const names = new Set(scope.names);
  return inNamespace(scope, f.workload.namespace) && (names.has(f.workload.name) || names.has(f.object.name));
}

export function isEntityAction(scope: EntityScope, a: RepairActionDto): boolean {
  const names = new Set(scope.names);
  return (
    inNamespace(scope, a.planned.target.namespace) &&
    (names.has(a.planned.target.name) || isEntityFinding(scope, a.finding))
  );
}

/** Incidents name services; an alert's `namespace` label, where it has one, must be the entity's. */
export function isEntityIncident(scope: EntityScope, incident: IncidentDto): boolean {
  const names = new Set(scope.names);
  if (!incident.services.some((s) => names.has(s))) return false;
  const namespaces = incident.alerts.map((a) => a.labels.namespace).filter((n): n is string => Boolean(n));
  return namespaces.length === 0 || namespaces.some((n) => inNamespace(scope, n));
}
