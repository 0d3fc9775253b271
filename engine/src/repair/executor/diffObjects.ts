export interface DiffEntry {
  /** JSON-pointer-like path, e.g. `/spec/template/spec/containers/0/image`. */
  path: string;
  before?: unknown;
  after?: unknown;
}

/** Fields the API server changes on every write; a diff of what an action changes leaves them out. */
const IGNORED = new Set([
  '/metadata/resourceVersion',
  '/metadata/generation',
  '/metadata/managedFields',
  '/metadata/creationTimestamp',
  '/status',
]);

/**
 * The leaf-level differences between an object before and after a (dry-run) write: what the operator approves.
 * Written by hand because it is twenty lines over plain JSON; the `diff` text package answers a different question.
 */
export function diffObjects(before: unknown, after: unknown, path = ''): DiffEntry[] {
  if (IGNORED.has(path)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) =>
      diffObjects(before[k], after[k], `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
    );
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffObjects(before[i], after[i], `${path}/${i}`)).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [
    {
      path: path || '/',
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
    },
  ];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
