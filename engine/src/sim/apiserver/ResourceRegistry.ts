import { RBAC_AND_POLICY_RESOURCES } from './groups/rbacAndPolicy.js';
import { APPS_RESOURCES } from './groups/apps.js';
import { AUTOSCALING_RESOURCES } from './groups/autoscaling.js';
import { BATCH_AND_NETWORKING_RESOURCES } from './groups/batch.js';
import { COORDINATION_RESOURCES } from './groups/coordination.js';
import { CORE_RESOURCES } from './groups/core.js';
import { DISCOVERY_RESOURCES } from './groups/endpointSlices.js';
import { EVENTS_RESOURCES } from './groups/events.js';
import { NODE_AND_SCHEDULING_RESOURCES } from './groups/nodeAndScheduling.js';
import { STORAGE_RESOURCES } from './groups/storage.js';
import { resourceKey, type ResourceType } from './ResourceType.js';

/** Every resource the simulated API server serves, looked up by `group/version` + plural. */
export class ResourceRegistry {
  private readonly byGroupVersion = new Map<string, Map<string, ResourceType>>();

  constructor(
    readonly types: ResourceType[] = [
      ...RBAC_AND_POLICY_RESOURCES,
      ...CORE_RESOURCES,
      ...APPS_RESOURCES,
      ...AUTOSCALING_RESOURCES,
      ...COORDINATION_RESOURCES,
      ...BATCH_AND_NETWORKING_RESOURCES,
      ...STORAGE_RESOURCES,
      ...DISCOVERY_RESOURCES,
      ...EVENTS_RESOURCES,
      ...NODE_AND_SCHEDULING_RESOURCES,
    ],
  ) {
    for (const type of types) {
      const gv = `${type.group}/${type.version}`;
      let table = this.byGroupVersion.get(gv);
      if (!table) {
        table = new Map();
        this.byGroupVersion.set(gv, table);
      }
      table.set(type.plural, type);
    }
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byGroupVersion.get(`${group}/${version}`)?.get(plural);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.byGroupVersion.has(`${group}/${version}`);
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return [...(this.byGroupVersion.get(`${group}/${version}`)?.values() ?? [])];
  }

  /** Groups other than core, with their versions, for /apis. */
  groups(): Array<{ name: string; versions: string[] }> {
    const groups = new Map<string, string[]>();
    for (const type of this.types) {
      if (!type.group) continue;
      const versions = groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      groups.set(type.group, versions);
    }
    return [...groups.entries()].map(([name, versions]) => ({ name, versions }));
  }

  /** The resource a store key belongs to, e.g. `apps/deployments` (its storage version, not a view over it). */
  byKey(key: string): ResourceType | undefined {
    return this.types.find((t) => !t.conversion && resourceKey(t) === key);
  }
}
