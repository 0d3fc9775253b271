import type { StatusCause } from './ApiError.js';
import type { KubeObject } from './KubeObject.js';

/** One REST resource the simulated server serves; the router and store are driven by this table. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Whether a spec change bumps metadata.generation (true for workloads, as in Kubernetes). */
  tracksGeneration?: boolean;
  /** Extra field-selector fields beyond metadata.name / metadata.namespace. */
  fields?: Record<string, (obj: KubeObject) => string | undefined>;
  /** Fills defaults on create, like the API server's defaulting. */
  defaults?: (obj: KubeObject) => void;
  /** Field errors that make the request 422 Invalid. */
  validate?: (obj: KubeObject) => StatusCause[];
  /** Subresources served by dedicated handlers. */
  subresources?: string[];
  /**
   * Set when this group-version is a view over objects stored by another one, as kube-apiserver serves one etcd
   * object in every version of a resource: autoscaling/v1 HPAs over the stored autoscaling/v2 ones,
   * events.k8s.io/v1 Events over core/v1 Events. Reads convert from the storage shape, writes convert into it, so
   * both versions see one object, one uid and one resourceVersion.
   */
  conversion?: Conversion;
}

export interface Conversion {
  /** Where the storage version keeps its objects (`resourceKey` of that type). */
  storageKey: string;
  /** Storage shape → this version (apiVersion and kind included). */
  fromStorage: (stored: KubeObject) => KubeObject;
  /** This version → storage shape (apiVersion and kind included). */
  toStorage: (obj: KubeObject) => KubeObject;
}

export const apiVersionOf = (type: ResourceType): string =>
  type.group ? `${type.group}/${type.version}` : type.version;

/** The key a resource is stored under, e.g. `apps/deployments` or `/pods` for the core group. */
export const resourceKey = (type: Pick<ResourceType, 'group' | 'plural' | 'conversion'>): string =>
  type.conversion?.storageKey ?? `${type.group}/${type.plural}`;

/** A stored object as this type serves it (the object itself when the type is its own storage version). */
export const presented = (type: ResourceType, stored: KubeObject): KubeObject =>
  type.conversion ? type.conversion.fromStorage(stored) : stored;
