import { randomBytes } from 'node:crypto';
import { ApiError, badRequest, invalid, notFound, type StatusCause } from './ApiError.js';
import { clone, type KubeObject } from './KubeObject.js';
import type { ObjectStore } from './ObjectStore.js';
import { applyPatch, deepEqual } from './patch.js';
import type { PodLogSource } from './PodLogSource.js';
import type { RequestTarget } from './RequestTarget.js';
import { apiVersionOf, type ResourceType } from './ResourceType.js';
import { TypedStore } from './TypedStore.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { selectorString } from './groups/apps.js';
import { validateReplicas } from './validation.js';

export interface HandlerResult {
  status: number;
  body: unknown;
  /** Defaults to application/json. */
  contentType?: string;
}

export type ObjectFilter = (obj: KubeObject) => boolean;

/** Builds the filter for `labelSelector` / `fieldSelector` query parameters (400 on a bad selector). */
export function objectFilter(type: ResourceType, query: URLSearchParams, namespace?: string): ObjectFilter {
  const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
  const getters: Record<string, (o: KubeObject) => string | undefined> = {
    'metadata.name': (o) => o.metadata.name,
    'metadata.namespace': (o) => o.metadata.namespace,
    ...type.fields,
  };
  const fields = parseFieldSelector(query.get('fieldSelector') ?? undefined, new Set(Object.keys(getters)));
  return (obj) =>
    (namespace === undefined || obj.metadata.namespace === namespace) &&
    matchesLabels(labels, obj.metadata.labels) &&
    matchesFields(fields, obj, getters);
}

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  if (values.length === 0) return false;
  if (values.some((v) => v !== 'All'))
    throw badRequest(`invalid dry run option: ${values.join(',')}: only "All" is supported`);
  return true;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** CRUD for every resource of the registry, with the Kubernetes semantics the engine depends on. */
export class ResourceHandlers {
  constructor(
    private readonly store: ObjectStore,
    private readonly logs?: PodLogSource,
  ) {}

  list(target: RequestTarget, query: URLSearchParams): HandlerResult {
    const { type, namespace } = target;
    const filter = objectFilter(type, query, namespace);
    const all = this.typed(type)
      .view(namespace)
      .filter(filter)
      .sort((a, b) =>
        `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
          `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
        ),
      );
    const limit = Number(query.get('limit') ?? 0);
    const offset = decodeContinue(query.get('continue'));
    const items = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const more = limit > 0 && offset + limit < all.length;
    return {
      status: 200,
      body: {
        kind: `${type.kind}List`,
        apiVersion: apiVersionOf(type),
        metadata: {
          resourceVersion: String(this.store.resourceVersion),
          ...(more
            ? { continue: encodeContinue(offset + limit), remainingItemCount: all.length - offset - limit }
            : {}),
        },
        items,
      },
    };
  }

  get(target: RequestTarget): HandlerResult {
    return { status: 200, body: this.require(target) };
  }

  create(target: RequestTarget, body: unknown, query: URLSearchParams): HandlerResult {
    const { type, namespace } = target;
    const obj = asObject(body, type);
    if (type.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      obj.metadata.namespace = namespace;
      if (namespace && !this.store.has('/namespaces', undefined, namespace))
        throw notFound('namespaces', namespace);
    } else {
      delete obj.metadata.namespace;
    }
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = obj.metadata.generateName + randomSuffix();
    }
    obj.apiVersion = apiVersionOf(type);
    obj.kind = type.kind;
    delete obj.metadata.resourceVersion;
    type.defaults?.(obj);
    this.validate(type, obj);
    if (type.tracksGeneration) obj.metadata.generation = 1;
    return { status: 201, body: this.typed(type).create(obj, { dryRun: isDryRun(query) }) };
  }

  replace(target: RequestTarget, body: unknown, query: URLSearchParams): HandlerResult {
    const current = this.require(target);
    const obj = asObject(body, target.type);
    if (obj.metadata.name && obj.metadata.name !== target.name) {
      throw badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${target.name})`,
      );
    }
    return {
      status: 200,
      body: this.commit(target.type, current, obj, isDryRun(query), target.subresource === 'status'),
    };
  }

  patch(target: RequestTarget, body: unknown, contentType: string, query: URLSearchParams): HandlerResult {
    const current = this.require(target);
    const patched = applyPatch(current, body, contentType);
    const obj = asObject(patched, target.type);
    return {
      status: 200,
      body: this.commit(target.type, current, obj, isDryRun(query), target.subresource === 'status'),
    };
  }

  delete(target: RequestTarget, query: URLSearchParams, body: unknown): HandlerResult {
    const { type, namespace, name } = target;
    const current = this.require(target);
    checkPreconditions(body, current, type);
    const dryRun = isDryRun(query);
    const typed = this.typed(type);
    const grace = gracePeriod(query, body, current);
    if (type.plural === 'pods' && grace > 0 && !current.metadata.deletionTimestamp) {
      // A graceful pod delete only marks the pod; the kubelet (controller) removes it once containers stop.
      const marked = clone(current);
      marked.metadata.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString();
      marked.metadata.deletionGracePeriodSeconds = grace;
      return { status: 200, body: typed.update(marked, { dryRun }) };
    }
    if (type.plural === 'namespaces' && !dryRun) {
      for (const resource of this.store.resourcesIn(name!)) {
        for (const obj of this.store.list(resource, name))
          this.store.delete(resource, name, obj.metadata.name);
      }
    }
    const deleted = typed.delete(namespace, name!, { dryRun });
    if (type.plural === 'pods') return { status: 200, body: deleted };
    return {
      status: 200,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, group: type.group, kind: type.plural, uid: deleted.metadata.uid },
      },
    };
  }

  /** DELETE on a collection: every object the selectors match, each with the single-object semantics. */
  deleteCollection(target: RequestTarget, query: URLSearchParams, body: unknown): HandlerResult {
    const { type, namespace } = target;
    const filter = objectFilter(type, query, namespace);
    const matched = this.typed(type).view(namespace).filter(filter);
    const items = matched.map(
      (obj) =>
        this.delete({ type, namespace: obj.metadata.namespace, name: obj.metadata.name }, query, body).body,
    );
    return {
      status: 200,
      body: {
        kind: `${type.kind}List`,
        apiVersion: apiVersionOf(type),
        metadata: { resourceVersion: String(this.store.resourceVersion) },
        items: type.plural === 'pods' ? items : matched,
      },
    };
  }

  getScale(target: RequestTarget): HandlerResult {
    return { status: 200, body: toScale(this.require(target)) };
  }

  updateScale(
    target: RequestTarget,
    body: unknown,
    query: URLSearchParams,
    contentType?: string,
  ): HandlerResult {
    const current = this.require(target);
    const scale = contentType ? applyPatch(toScale(current), body, contentType) : body;
    const replicas = (scale as { spec?: { replicas?: unknown } })?.spec?.replicas;
    const causes = validateReplicas(replicas, 'spec.replicas');
    if (replicas === undefined)
      causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.replicas' });
    if (causes.length) throw invalid('Scale', target.name!, causes, 'autoscaling');
    const expected = (scale as { metadata?: { resourceVersion?: string } })?.metadata?.resourceVersion;
    const next = clone(current);
    (next['spec'] as Record<string, unknown>)['replicas'] = replicas;
    next.metadata.resourceVersion = expected || current.metadata.resourceVersion;
    const updated = this.commit(target.type, current, next, isDryRun(query), false);
    return { status: 200, body: toScale(updated) };
  }

  readLog(target: RequestTarget, query: URLSearchParams): HandlerResult {
    const pod = this.require(target);
    const containers = ((pod['spec'] as { containers?: Array<{ name: string }> })?.containers ?? []).map(
      (c) => c.name,
    );
    let container = query.get('container') ?? undefined;
    if (!container) {
      if (containers.length !== 1) {
        throw badRequest(
          `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`,
        );
      }
      container = containers[0]!;
    } else if (!containers.includes(container)) {
      throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
    }
    const previous = query.get('previous') === 'true';
    const lines = this.logs?.lines(pod.metadata.namespace!, pod.metadata.name, container, previous);
    if (!lines) {
      if (previous)
        throw badRequest(
          `previous terminated container "${container}" in pod "${pod.metadata.name}" not found`,
        );
      return { status: 200, body: '', contentType: 'text/plain' };
    }
    let selected = lines;
    const since = Number(query.get('sinceSeconds') ?? 0);
    if (since > 0) {
      const cutoff = Date.now() - since * 1000;
      selected = selected.filter((l) => Date.parse(l.time) >= cutoff);
    }
    const tail = query.get('tailLines');
    if (tail !== null && tail !== '')
      selected = selected.slice(Math.max(0, selected.length - Math.max(0, Number(tail))));
    const timestamps = query.get('timestamps') === 'true';
    let text = selected.map((l) => (timestamps ? `${l.time} ${l.text}` : l.text) + '\n').join('');
    const limitBytes = Number(query.get('limitBytes') ?? 0);
    if (limitBytes > 0) text = Buffer.from(text).subarray(0, limitBytes).toString();
    return { status: 200, body: text, contentType: 'text/plain' };
  }

  private require(target: RequestTarget): KubeObject {
    const found = this.typed(target.type).get(target.namespace, target.name!);
    if (!found) throw notFound(target.type.plural, target.name!, target.type.group);
    return found;
  }

  private validate(type: ResourceType, obj: KubeObject): void {
    const causes: StatusCause[] = type.validate?.(obj) ?? [];
    if (causes.length) throw invalid(type.kind, obj.metadata.name ?? '', causes, type.group);
  }

  /** The shared tail of replace and patch: immutable fields, validation, generation, optimistic concurrency. */
  private commit(
    type: ResourceType,
    current: KubeObject,
    next: KubeObject,
    dryRun: boolean,
    statusOnly: boolean,
  ): KubeObject {
    let obj = next;
    if (statusOnly) {
      obj = clone(current);
      obj['status'] = next['status'];
      obj.metadata.resourceVersion = next.metadata.resourceVersion;
    } else if ((type.subresources ?? []).includes('status')) {
      // Writes to the main resource cannot change status, exactly as with a real status subresource.
      obj['status'] = clone(current['status']);
    }
    const causes: StatusCause[] = [];
    if (next.metadata.namespace !== undefined && next.metadata.namespace !== current.metadata.namespace) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: 'field is immutable',
        field: 'metadata.namespace',
      });
    }
    if (next.metadata.uid !== undefined && next.metadata.uid !== current.metadata.uid) {
      causes.push({ reason: 'FieldValueInvalid', message: 'field is immutable', field: 'metadata.uid' });
    }
    if (causes.length) throw invalid(type.kind, current.metadata.name, causes, type.group);
    obj.apiVersion = apiVersionOf(type);
    obj.kind = type.kind;
    obj.metadata.name = current.metadata.name;
    obj.metadata.namespace = current.metadata.namespace;
    if (obj.metadata.resourceVersion === undefined)
      obj.metadata.resourceVersion = current.metadata.resourceVersion;
    this.validate(type, obj);
    if (type.tracksGeneration) {
      const changed = !deepEqual(obj['spec'], current['spec']);
      obj.metadata.generation = (current.metadata.generation ?? 1) + (changed ? 1 : 0);
    }
    return this.typed(type).update(obj, { dryRun });
  }

  private typed(type: ResourceType): TypedStore {
    return new TypedStore(this.store, type);
  }
}

function asObject(body: unknown, type: ResourceType): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`the body of the request must be a ${type.kind} object`);
  }
  const obj = clone(body) as KubeObject;
  if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = { name: '' };
  if (obj.kind !== undefined && obj.kind !== type.kind) {
    throw badRequest(`the kind of the body (${String(obj.kind)}) does not match the resource (${type.kind})`);
  }
  return obj;
}

function toScale(obj: KubeObject): KubeObject {
  const spec = (obj['spec'] ?? {}) as { replicas?: number; selector?: unknown };
  const status = (obj['status'] ?? {}) as { replicas?: number };
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
  };
}

/** DeleteOptions.preconditions, as kube-apiserver checks them: a uid or resourceVersion that differs is a 409. */
function checkPreconditions(body: unknown, current: KubeObject, type: ResourceType): void {
  const pre = (body as { preconditions?: { uid?: string; resourceVersion?: string } } | undefined)
    ?.preconditions;
  const mismatch = (label: string, want: string | undefined, have: string | undefined) =>
    want !== undefined && want !== '' && want !== have
      ? new ApiError(
          'Conflict',
          `Precondition failed: ${label} in precondition: ${want}, ${label} in object meta: ${have ?? ''}`,
          { name: current.metadata.name, group: type.group, kind: type.plural },
        )
      : undefined;
  const error =
    mismatch('UID', pre?.uid, current.metadata.uid) ??
    mismatch('ResourceVersion', pre?.resourceVersion, current.metadata.resourceVersion);
  if (error) throw error;
}

function gracePeriod(query: URLSearchParams, body: unknown, current: KubeObject): number {
  const fromQuery = query.get('gracePeriodSeconds');
  if (fromQuery !== null) return Number(fromQuery);
  const fromBody = (body as { gracePeriodSeconds?: number } | undefined)?.gracePeriodSeconds;
  if (typeof fromBody === 'number') return fromBody;
  return Number(
    (current['spec'] as { terminationGracePeriodSeconds?: number } | undefined)
      ?.terminationGracePeriodSeconds ?? 30,
  );
}

function randomSuffix(): string {
  const bytes = randomBytes(5);
  return [...bytes].map((b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('');
}

function encodeContinue(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeContinue(token: string | null): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through to the error below
  }
  throw badRequest('invalid continue token');
}
