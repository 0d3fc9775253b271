import { ApiError } from './ApiError.js';
import type { RequestTarget } from './RequestTarget.js';
import type { ResourceRegistry } from './ResourceRegistry.js';

/** Resolves a REST path to a resource, or undefined when the path is not a resource path at all. */
export function parseResourcePath(path: string, registry: ResourceRegistry): RequestTarget | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    group = '';
    version = segments[1] ?? '';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    group = segments[1] ?? '';
    version = segments[2] ?? '';
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0 || !registry.hasGroupVersion(group, version)) return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespacedType = registry.find(group, version, rest[2]!);
    if (namespacedType?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const type = registry.find(group, version, rest[0]!);
  if (!type) return undefined;
  if (rest.length > 3) return undefined;
  const target: RequestTarget = { type, namespace, name: rest[1], subresource: rest[2] };
  if (target.subresource && !(type.subresources ?? []).includes(target.subresource)) {
    throw new ApiError(
      'NotFound',
      `the server could not find the requested resource (${type.plural}/${target.subresource})`,
    );
  }
  return target;
}
