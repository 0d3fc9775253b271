import type { StatusCause } from './ApiError.js';
import type { KubeObject } from './KubeObject.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const cause = (field: string, message: string, reason = 'FieldValueInvalid'): StatusCause => ({
  reason,
  message,
  field,
});

export function validateName(obj: KubeObject, label = false): StatusCause[] {
  const name = obj.metadata?.name;
  if (!name)
    return [cause('metadata.name', 'Required value: name or generateName is required', 'FieldValueRequired')];
  const pattern = label ? DNS_LABEL : DNS_SUBDOMAIN;
  if (name.length > (label ? 63 : 253) || !pattern.test(name)) {
    return [
      cause(
        'metadata.name',
        `Invalid value: "${name}": a lowercase RFC 1123 ${label ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.'`,
      ),
    ];
  }
  return [];
}

export function validateContainers(containers: unknown, field: string): StatusCause[] {
  if (!Array.isArray(containers) || containers.length === 0) {
    return [cause(field, 'Required value: at least one container is required', 'FieldValueRequired')];
  }
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  containers.forEach((c: Record<string, unknown>, i) => {
    if (typeof c?.['name'] !== 'string' || !DNS_LABEL.test(c['name'])) {
      causes.push(cause(`${field}[${i}].name`, 'Invalid value: must be a DNS label'));
    } else if (seen.has(c['name'])) {
      causes.push(cause(`${field}[${i}].name`, `Duplicate value: "${c['name']}"`, 'FieldValueDuplicate'));
    } else {
      seen.add(c['name']);
    }
    if (typeof c?.['image'] !== 'string' || c['image'].trim() === '') {
      causes.push(cause(`${field}[${i}].image`, 'Required value', 'FieldValueRequired'));
    }
  });
  return causes;
}

export function validateReplicas(value: unknown, field: string): StatusCause[] {
  if (value === undefined) return [];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    return [cause(field, `Invalid value: ${JSON.stringify(value)}: must be greater than or equal to 0`)];
  }
  return [];
}

export function get(obj: unknown, path: string): unknown {
  let node: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export const str = (obj: unknown, path: string): string | undefined => {
  const v = get(obj, path);
  return v === undefined || v === null ? undefined : String(v);
};
