import type { ResourceType } from './ResourceType.js';

/** What a resource URL names: `/api/v1/namespaces/NS/pods/NAME/log` → pods, NS, NAME, log. */
export interface RequestTarget {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}
