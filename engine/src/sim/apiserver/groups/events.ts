import { clone, type KubeObject } from '../KubeObject.js';
import type { ResourceType } from '../ResourceType.js';
import { cause, get, str, validateName } from '../validation.js';

type Fields = Record<string, unknown>;

/** Drops absent fields, as the Go structs' `omitempty` does, so a converted object carries only what it has. */
const present = (fields: Fields): Fields =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

/**
 * One field of each pair per line: events.k8s.io/v1 renamed the core/v1 Event fields (involvedObject became
 * regarding, message became note, ...) and kept the old-only ones as `deprecated*`; both versions are the same
 * stored object, so the pairs convert one to one in both directions.
 */
const RENAMED: Array<[core: string, events: string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];
const SAME = ['reason', 'type', 'action', 'reportingInstance', 'related', 'series'];

function fromCore(core: KubeObject): KubeObject {
  const o = clone(core) as Fields;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: core.metadata,
    // Not omitempty in the Go type: a core event recorded without one (the legacy recorder) reads as null.
    eventTime: o['eventTime'] ?? null,
    ...present(Object.fromEntries(SAME.map((f) => [f, o[f]]))),
    ...present(Object.fromEntries(RENAMED.map(([c, e]) => [e, o[c]]))),
  } as KubeObject;
}

function toCore(event: KubeObject): KubeObject {
  const o = clone(event) as Fields;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: o['metadata'],
    ...present({ eventTime: o['eventTime'] ?? undefined }),
    ...present(Object.fromEntries(SAME.map((f) => [f, o[f]]))),
    ...present(Object.fromEntries(RENAMED.map(([c, e]) => [c, o[e]]))),
  } as KubeObject;
}

const LIMITS = { reportingInstance: 128, action: 128, reason: 128 } as const;

/**
 * events.k8s.io/v1 Events: the core/v1 Events (`/events`, one store) in the newer shape. New events written here
 * must say when, who and what, as kube-apiserver requires of this version (the legacy core/v1 API does not).
 */
export const EVENTS_RESOURCES: ResourceType[] = [
  {
    group: 'events.k8s.io',
    version: 'v1',
    plural: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    conversion: { storageKey: '/events', fromStorage: fromCore, toStorage: toCore },
    // The field labels kube-apiserver accepts on this version, read from the converted object.
    fields: {
      'regarding.kind': (o) => str(o, 'regarding.kind'),
      'regarding.namespace': (o) => str(o, 'regarding.namespace'),
      'regarding.name': (o) => str(o, 'regarding.name'),
      'regarding.uid': (o) => str(o, 'regarding.uid'),
      'regarding.apiVersion': (o) => str(o, 'regarding.apiVersion'),
      'regarding.resourceVersion': (o) => str(o, 'regarding.resourceVersion'),
      'regarding.fieldPath': (o) => str(o, 'regarding.fieldPath'),
      reason: (o) => str(o, 'reason'),
      type: (o) => str(o, 'type'),
      reportingController: (o) => str(o, 'reportingController'),
    },
    validate: (o) => {
      const causes = validateName(o);
      // Updates (the object already has a resourceVersion) keep the legacy rules, as kube-apiserver does, so an
      // event the core/v1 recorder wrote can be updated through this version.
      if (o.metadata.resourceVersion) return causes;
      if (!o['eventTime']) causes.push(cause('eventTime', 'Required value', 'FieldValueRequired'));
      if (!str(o, 'reportingController'))
        causes.push(cause('reportingController', 'Required value', 'FieldValueRequired'));
      for (const [field, limit] of Object.entries(LIMITS)) {
        const value = str(o, field);
        if (!value) causes.push(cause(field, 'Required value', 'FieldValueRequired'));
        else if (value.length > limit)
          causes.push(cause(field, `Invalid value: "${value}": can have at most ${limit} characters`));
      }
      const type = str(o, 'type');
      if (type !== 'Normal' && type !== 'Warning')
        causes.push(
          cause(
            'type',
            `Unsupported value: "${type ?? ''}": supported values: "Normal", "Warning"`,
            'FieldValueNotSupported',
          ),
        );
      const note = str(o, 'note') ?? '';
      if (Buffer.byteLength(note) > 1024)
        causes.push(cause('note', 'Too long: may not be more than 1024 bytes', 'FieldValueTooLong'));
      const series = get(o, 'series');
      if (series !== undefined && series !== null) {
        const count = get(series, 'count');
        if (typeof count !== 'number' || count < 2)
          causes.push(cause('series.count', 'Invalid value: should be at least 2'));
        if (!get(series, 'lastObservedTime'))
          causes.push(cause('series.lastObservedTime', 'Required value', 'FieldValueRequired'));
      }
      return causes;
    },
  },
];
