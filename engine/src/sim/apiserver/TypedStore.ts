import { ApiError, alreadyExists, conflict, notFound } from './ApiError.js';
import type { KubeObject } from './KubeObject.js';
import type { ObjectStore } from './ObjectStore.js';
import { presented, resourceKey, type ResourceType } from './ResourceType.js';

/**
 * The store as one served resource sees it: objects of the resource's storage key, converted to and from the
 * resource's own version when it is a view (`ResourceType.conversion`). Handlers work in the request's version and
 * never see the storage shape, the way kube-apiserver decodes into its internal version and encodes back out.
 */
export class TypedStore {
  private readonly key: string;

  constructor(
    private readonly store: ObjectStore,
    private readonly type: ResourceType,
  ) {
    this.key = resourceKey(type);
  }

  view(namespace?: string): KubeObject[] {
    const objects = this.store.view(this.key, namespace);
    return this.type.conversion ? objects.map((o) => presented(this.type, o)) : objects;
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.store.get(this.key, namespace, name);
    return found && presented(this.type, found);
  }

  create(obj: KubeObject, options: { dryRun?: boolean }): KubeObject {
    return this.requalified(() => this.store.create(this.key, this.toStorage(obj), options));
  }

  update(obj: KubeObject, options: { dryRun?: boolean }): KubeObject {
    return this.requalified(() => this.store.update(this.key, this.toStorage(obj), options));
  }

  delete(namespace: string | undefined, name: string, options: { dryRun?: boolean }): KubeObject {
    return this.requalified(() => this.store.delete(this.key, namespace, name, options));
  }

  private toStorage(obj: KubeObject): KubeObject {
    return this.type.conversion ? this.type.conversion.toStorage(obj) : obj;
  }

  /** Runs a store write and presents its result; errors name the requested resource (`events.events.k8s.io`). */
  private requalified(write: () => KubeObject): KubeObject {
    try {
      return presented(this.type, write());
    } catch (error) {
      if (!this.type.conversion || !(error instanceof ApiError)) throw error;
      const name = error.details?.name ?? '';
      const { plural, group } = this.type;
      if (error.reason === 'NotFound') throw notFound(plural, name, group);
      if (error.reason === 'AlreadyExists') throw alreadyExists(plural, name, group);
      if (error.reason === 'Conflict') throw conflict(plural, name, group);
      throw error;
    }
  }
}
