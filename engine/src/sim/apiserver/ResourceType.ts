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
}

export const apiVersionOf = (type: ResourceType): string =>
  type.group ? `${type.group}/${type.version}` : type.version;

/** The key a resource is stored under, e.g. `apps/deployments` or `/pods` for the core group. */
export const resourceKey = (type: Pick<ResourceType, 'group' | 'plural'>): string =>
  `${type.group}/${type.plural}`;
