import { ApiError, badRequest } from './ApiError.js';
import { clone } from './KubeObject.js';

/**
 * The three patch content types kube-apiserver accepts. Strategic merge here knows the merge keys of the lists that
 * matter for workloads (containers by name, ports by containerPort, ...) rather than reading OpenAPI extensions.
 */
export const PATCH_CONTENT_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
} as const;

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386: objects merge recursively, null deletes, anything else (arrays included) replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** List fields merged element-wise by key, as their Go types declare with `patchMergeKey`. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  ports: 'containerPort',
  conditions: 'type',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  ownerReferences: 'uid',
};

/** Service ports merge by `port`, container ports by `containerPort`: the key depends on what the items carry. */
function mergeKeyFor(field: string, items: Json[]): string | undefined {
  const key = MERGE_KEYS[field];
  if (field === 'ports' && items.some((i) => isObject(i) && 'port' in i && !('containerPort' in i)))
    return 'port';
  return key;
}

export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch['$patch'] === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return stripDirectives(rest);
  }
  if (patch['$patch'] === 'delete') return undefined;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value))
        result[field] = current.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const current = result[key];
    if (Array.isArray(value)) {
      const mergeKey = mergeKeyFor(key, [...value, ...(Array.isArray(current) ? current : [])]);
      result[key] =
        mergeKey && Array.isArray(current) ? mergeList(current, value, mergeKey) : stripDirectives(value);
      continue;
    }
    const merged = strategicMergePatch(current, value);
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  return result;
}

function mergeList(current: Json[], patch: Json[], mergeKey: string): Json[] {
  const result = [...current];
  for (const item of patch) {
    if (!isObject(item) || !(mergeKey in item)) {
      throw badRequest(`strategic merge patch: list item is missing merge key "${mergeKey}"`);
    }
    const index = result.findIndex((c) => isObject(c) && c[mergeKey] === item[mergeKey]);
    if (item['$patch'] === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = strategicMergePatch(result[index], item);
    else result.push(stripDirectives(item));
  }
  return result;
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = stripDirectives(v);
  return out;
}

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: Json;
  from?: string;
}

/** RFC 6902 on a copy of the document; a failing operation (missing path, failed test) is 422 as in Kubernetes. */
export function jsonPatch(document: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw badRequest('json patch must be an array of operations');
  let doc = clone(document);
  operations.forEach((raw, index) => {
    if (!isObject(raw) || typeof raw['op'] !== 'string' || typeof raw['path'] !== 'string') {
      throw badRequest(`json patch operation ${index} needs string "op" and "path"`);
    }
    const op = raw as unknown as JsonPatchOperation;
    switch (op.op) {
      case 'add':
        requireValue(op, index);
        doc = addAt(doc, parsePointer(op.path), clone(op.value));
        break;
      case 'remove':
        doc = removeAt(doc, parsePointer(op.path), op.path);
        break;
      case 'replace':
        requireValue(op, index);
        getAt(doc, parsePointer(op.path), op.path);
        doc = removeAt(doc, parsePointer(op.path), op.path);
        doc = addAt(doc, parsePointer(op.path), clone(op.value));
        break;
      case 'move': {
        const from = requireFrom(op, index);
        const value = getAt(doc, parsePointer(from), from);
        doc = removeAt(doc, parsePointer(from), from);
        doc = addAt(doc, parsePointer(op.path), value);
        break;
      }
      case 'copy': {
        const from = requireFrom(op, index);
        doc = addAt(doc, parsePointer(op.path), clone(getAt(doc, parsePointer(from), from)));
        break;
      }
      case 'test':
        requireValue(op, index);
        if (!deepEqual(getAt(doc, parsePointer(op.path), op.path), op.value)) {
          throw patchFailed(`test operation failed at ${op.path}`);
        }
        break;
      default:
        throw badRequest(`json patch operation ${index}: unknown op "${String((raw as JsonObject)['op'])}"`);
    }
  });
  return doc;
}

function requireValue(op: JsonPatchOperation, index: number): void {
  if (!('value' in op)) throw badRequest(`json patch operation ${index} (${op.op}) needs "value"`);
}

function requireFrom(op: JsonPatchOperation, index: number): string {
  if (typeof op.from !== 'string') throw badRequest(`json patch operation ${index} (${op.op}) needs "from"`);
  return op.from;
}

const patchFailed = (message: string) =>
  new ApiError('Invalid', `the server rejected our request: ${message}`);

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, allowEnd: boolean, pointer: string): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw patchFailed(`invalid array index "${token}" in ${pointer}`);
  const index = Number(token);
  if (index > length || (!allowEnd && index === length))
    throw patchFailed(`array index out of bounds in ${pointer}`);
  return index;
}

function getAt(doc: Json, tokens: string[], pointer: string): Json {
  let node = doc;
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false, pointer)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, token)) node = node[token];
    else throw patchFailed(`path ${pointer} does not exist`);
  }
  return node;
}

function addAt(doc: Json, tokens: string[], value: Json): Json {
  if (tokens.length === 0) return value;
  const parentPath = '/' + tokens.slice(0, -1).join('/');
  const parent = getAt(doc, tokens.slice(0, -1), parentPath);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true, parentPath), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw patchFailed(`cannot add to a scalar at ${parentPath}`);
  return doc;
}

function removeAt(doc: Json, tokens: string[], pointer: string): Json {
  if (tokens.length === 0) return undefined;
  const parent = getAt(doc, tokens.slice(0, -1), pointer);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false, pointer), 1);
  else if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) delete parent[last];
  else throw patchFailed(`path ${pointer} does not exist`);
  return doc;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

export function applyPatch(target: Json, patch: Json, contentType: string): Json {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  switch (type) {
    case PATCH_CONTENT_TYPES.json:
      return jsonPatch(target, patch);
    case PATCH_CONTENT_TYPES.merge:
      return mergePatch(target, patch);
    case PATCH_CONTENT_TYPES.strategic:
      return strategicMergePatch(target, patch);
    default:
      throw new ApiError(
        'BadRequest',
        `the body of the request was in an unknown format - accepted media types include: ${Object.values(PATCH_CONTENT_TYPES).join(', ')}`,
      );
  }
}
