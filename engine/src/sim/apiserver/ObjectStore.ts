import { randomUUID } from 'node:crypto';
import { alreadyExists, conflict, notFound } from './ApiError.js';
import { clone, type KubeObject } from './KubeObject.js';
import { WatchHub } from './WatchHub.js';

/**
 * The simulated etcd: objects per resource key (`group/plural`), one monotonic resourceVersion across all of them,
 * every change published to the watch hub. Callers get copies, so nobody mutates stored state by accident.
 */
export class ObjectStore {
  private revision = 0;
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  readonly hub: WatchHub;

  constructor(options: { historyCapacity?: number; uid?: () => string } = {}) {
    this.hub = new WatchHub(options.historyCapacity);
    this.newUid = options.uid ?? randomUUID;
  }

  private readonly newUid: () => string;

  get resourceVersion(): number {
    return this.revision;
  }

  private table(resource: string): Map<string, KubeObject> {
    let table = this.tables.get(resource);
    if (!table) {
      table = new Map();
      this.tables.set(resource, table);
    }
    return table;
  }

  private static key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.table(resource).get(ObjectStore.key(namespace, name));
    return found ? clone(found) : undefined;
  }

  /** Whether an object exists, without copying it. */
  has(resource: string, namespace: string | undefined, name: string): boolean {
    return this.table(resource).has(ObjectStore.key(namespace, name));
  }

  /**
   * The stored objects themselves, without copying: for readers that only look (controllers, serialisation).
   * Stored objects are never changed in place (every write replaces them), so a view stays consistent; callers
   * must clone before they modify.
   */
  view(resource: string, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.table(resource).values()) {
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(obj);
    }
    return out;
  }

  list(resource: string, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.table(resource).values()) {
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(clone(obj));
    }
    return out;
  }

  /** Every resource key that currently holds objects in a namespace (for namespace deletion). */
  resourcesIn(namespace: string): string[] {
    return [...this.tables.entries()]
      .filter(([, table]) => [...table.values()].some((o) => o.metadata.namespace === namespace))
      .map(([key]) => key);
  }

  /**
   * Stores a new object, filling uid, resourceVersion and creationTimestamp. With `dryRun` the result is what would
   * be stored, and nothing changes.
   */
  create(resource: string, input: KubeObject, options: { dryRun?: boolean } = {}): KubeObject {
    const table = this.table(resource);
    const { namespace, name } = input.metadata;
    const plural = resource.split('/')[1]!;
    if (table.has(ObjectStore.key(namespace, name)))
      throw alreadyExists(plural, name, resource.split('/')[0]);
    const obj = clone(input);
    obj.metadata.uid = this.newUid();
    obj.metadata.creationTimestamp = obj.metadata.creationTimestamp ?? new Date().toISOString();
    delete obj.metadata.deletionTimestamp;
    if (options.dryRun) {
      obj.metadata.resourceVersion = String(this.revision);
      return obj;
    }
    obj.metadata.resourceVersion = String(++this.revision);
    table.set(ObjectStore.key(namespace, name), obj);
    this.hub.publish({ resourceVersion: this.revision, resource, type: 'ADDED', object: obj });
    return clone(obj);
  }

  /**
   * Replaces an object. When the input carries a resourceVersion it must equal the stored one (optimistic
   * concurrency, 409 Conflict otherwise); uid and creationTimestamp are kept from the stored object.
   */
  update(resource: string, input: KubeObject, options: { dryRun?: boolean } = {}): KubeObject {
    const table = this.table(resource);
    const { namespace, name } = input.metadata;
    const [group, plural] = resource.split('/') as [string, string];
    const current = table.get(ObjectStore.key(namespace, name));
    if (!current) throw notFound(plural, name, group);
    const expected = input.metadata.resourceVersion;
    if (expected !== undefined && expected !== '' && expected !== current.metadata.resourceVersion) {
      throw conflict(plural, name, group);
    }
    const obj = clone(input);
    obj.metadata.uid = current.metadata.uid;
    obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
    if (options.dryRun) {
      obj.metadata.resourceVersion = current.metadata.resourceVersion;
      return obj;
    }
    obj.metadata.resourceVersion = String(++this.revision);
    table.set(ObjectStore.key(namespace, name), obj);
    this.hub.publish({
      resourceVersion: this.revision,
      resource,
      type: 'MODIFIED',
      object: obj,
      previous: current,
    });
    return clone(obj);
  }

  delete(
    resource: string,
    namespace: string | undefined,
    name: string,
    options: { dryRun?: boolean } = {},
  ): KubeObject {
    const table = this.table(resource);
    const [group, plural] = resource.split('/') as [string, string];
    const current = table.get(ObjectStore.key(namespace, name));
    if (!current) throw notFound(plural, name, group);
    if (options.dryRun) return clone(current);
    table.delete(ObjectStore.key(namespace, name));
    const gone = clone(current);
    gone.metadata.resourceVersion = String(++this.revision);
    this.hub.publish({
      resourceVersion: this.revision,
      resource,
      type: 'DELETED',
      object: gone,
      previous: current,
    });
    return clone(gone);
  }

  count(): number {
    let n = 0;
    for (const table of this.tables.values()) n += table.size;
    return n;
  }
}
