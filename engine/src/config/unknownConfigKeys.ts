import type { FieldIssue } from '../errors.js';

/**
 * Keys a config file sets that the schema does not know. zod drops them silently, so a typo (`server.prot: 9000`,
 * `metrics.ulr`) used to start the engine on the default with "configuration: ok". Found by comparing what the file
 * holds with what the schema kept: a key present in the file and absent from the parsed object at the same place was
 * stripped. Maps the schema keeps whole (`metrics.sources`, `jobs.perKind`) keep their keys, so they are never
 * reported. Only the file is checked: the environment also carries the CLI's own AICLOUDOPS_URL / AICLOUDOPS_TOKEN.
 * Request bodies and query strings are checked the same way (server/strictRequests.ts), with `noun` 'field' or
 * 'parameter'.
 */
export function unknownConfigKeys(
  file: unknown,
  parsed: unknown,
  prefix = '',
  noun = 'setting',
  declared?: DeclaredKeys,
): FieldIssue[] {
  return unknownAt(file, parsed, prefix, noun, declared, []);
}

/**
 * The keys the schema declares for the object at a path (array items by index), for the "did you mean" hint. Without
 * it the hint compares with the keys the parsed object holds, which lack every optional key left out: a body
 * `{"horizon": 5}` got no hint towards the optional `horizonMinutes`.
 */
export type DeclaredKeys = (path: ReadonlyArray<string | number>) => string[] | undefined;

function unknownAt(
  file: unknown,
  parsed: unknown,
  prefix: string,
  noun: string,
  declared: DeclaredKeys | undefined,
  path: Array<string | number>,
): FieldIssue[] {
  if (Array.isArray(file) && Array.isArray(parsed) && file.length === parsed.length) {
    return file.flatMap((item, i) =>
      unknownAt(item, parsed[i], `${prefix}${i}.`, noun, declared, [...path, i]),
    );
  }
  if (!isPlainObject(file) || !isPlainObject(parsed)) return [];
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(file)) {
    if (!(key in parsed)) {
      const near = closestKey(
        key,
        (declared?.(path) ?? Object.keys(parsed)).filter((k) => k !== key),
      );
      issues.push({
        field: `${prefix}${key}`,
        message: `unknown ${noun}${near ? ` (did you mean ${prefix}${near}?)` : ''}`,
      });
    } else {
      issues.push(...unknownAt(value, parsed[key], `${prefix}${key}.`, noun, declared, [...path, key]));
    }
  }
  return issues;
}

/**
 * Keys of a config that failed validation which its schema does not declare, found from the schema since there is no
 * parsed object to compare with: before, a file with `server.bogus: 1` and `server.port: "abc"` named only the port,
 * and the unknown key only once the rest was fixed (README: an invalid config names every failing field). `guide` is
 * the whole input (file, environment, preset merged) and picks the branch of a discriminated union (`metrics.kind`),
 * since the file alone may leave the kind to the profile. Where the schema cannot tell (a union whose branch is not
 * known, a loose object, a custom type) nothing is reported: the parse that succeeds after the fix still checks it.
 */
export function undeclaredConfigKeys(
  file: unknown,
  schema: unknown,
  guide: unknown = file,
  prefix = '',
  noun = 'setting',
): FieldIssue[] {
  return undeclaredAt(file, guide, defsOf(schema), prefix, noun, 0);
}

/** zod 4's definition of a schema, as far as finding the keys it declares needs it. */
interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  catchall?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: unknown[];
  discriminator?: string;
  innerType?: unknown;
  in?: unknown;
  out?: unknown;
  left?: unknown;
  right?: unknown;
  getter?: () => unknown;
}

const defOf = (schema: unknown): SchemaDef | undefined =>
  (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
const defsOf = (schema: unknown): SchemaDef[] => {
  const def = defOf(schema);
  return def ? [def] : [];
};

/**
 * The object, array and record definitions a schema stands for at a value, wrappers (default, optional, pipe, lazy...)
 * looked through; of a discriminated union, the branch the guide's discriminator picks (none if it picks none).
 * undefined when some part cannot be read (then nothing below is reported).
 */
/** A guide for `shapesAt` that picks no branch: every branch of a discriminated union is offered. */
const EVERY_BRANCH = Symbol('every branch');

function shapesAt(defs: SchemaDef[], guide: unknown, depth: number): SchemaDef[] | undefined {
  const out: SchemaDef[] = [];
  for (const def of defs) {
    if (depth > 20) return undefined;
    switch (def.type) {
      case 'object':
      case 'array':
      case 'record':
        out.push(def);
        break;
      case 'union': {
        let options = def.options ?? [];
        if (def.discriminator !== undefined && guide !== EVERY_BRANCH) {
          const value = isPlainObject(guide) ? guide[def.discriminator] : undefined;
          options = options.filter((o) =>
            (o as { _zod?: { propValues?: Record<string, Set<unknown>> } })._zod?.propValues?.[
              def.discriminator!
            ]?.has(value),
          );
          if (options.length === 0) return undefined;
        }
        const inner = shapesAt(options.flatMap(defsOf), guide, depth + 1);
        if (!inner) return undefined;
        out.push(...inner);
        break;
      }
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
      case 'pipe':
      case 'intersection':
      case 'lazy': {
        const inner = [
          ...defsOf(def.innerType),
          ...defsOf(def.in),
          ...defsOf(def.out),
          ...defsOf(def.left),
          ...defsOf(def.right),
          ...(def.type === 'lazy' && def.getter ? defsOf(def.getter()) : []),
        ];
        const found = shapesAt(inner, guide, depth + 1);
        if (!found) return undefined;
        out.push(...found);
        break;
      }
      // Scalars, enums, literals and transforms hold no keys; a preprocess's transform sits beside its schema.
      case 'transform':
      case 'string':
      case 'number':
      case 'boolean':
      case 'bigint':
      case 'enum':
      case 'literal':
      case 'null':
      case 'undefined':
      case 'date':
      case 'never':
        break;
      default:
        // A part it cannot read: no unknown keys are claimed below it, but hints may still use the parts it can.
        if (guide !== EVERY_BRANCH) return undefined;
    }
  }
  return out;
}

/**
 * The keys a schema declares for the object at a path (array items by index), every branch of a union offered: the
 * "did you mean" hints of request bodies and query strings (server/strictRequests.ts). undefined for a schema that is
 * not zod. The same walk of zod's definitions as undeclaredConfigKeys.
 */
export function declaredKeysOf(schema: unknown): DeclaredKeys | undefined {
  const root = defsOf(schema);
  if (root.length === 0) return undefined;
  const shapes = (defs: SchemaDef[]) => shapesAt(defs, EVERY_BRANCH, 0) ?? [];
  return (path) => {
    let defs = root;
    for (const step of path) {
      defs = shapes(defs).flatMap((d) =>
        d.type === 'array'
          ? typeof step === 'number'
            ? defsOf(d.element)
            : []
          : d.type === 'object' && typeof step === 'string'
            ? defsOf(d.shape?.[step])
            : [],
      );
    }
    const keys = shapes(defs)
      .filter((d) => d.type === 'object')
      .flatMap((d) => Object.keys(d.shape ?? {}));
    return keys.length > 0 ? [...new Set(keys)] : undefined;
  };
}

function undeclaredAt(
  file: unknown,
  guide: unknown,
  defs: SchemaDef[],
  prefix: string,
  noun: string,
  depth: number,
): FieldIssue[] {
  if (depth > MAX_DEPTH) return [];
  const shapes = shapesAt(defs, guide, 0);
  if (!shapes || shapes.length === 0) return [];
  if (Array.isArray(file)) {
    const elements = shapes.filter((d) => d.type === 'array').flatMap((d) => defsOf(d.element));
    if (elements.length === 0) return [];
    return file.flatMap((item, i) =>
      undeclaredAt(item, Array.isArray(guide) ? guide[i] : item, elements, `${prefix}${i}.`, noun, depth + 1),
    );
  }
  if (!isPlainObject(file)) return [];
  const guideAt = (key: string) => (isPlainObject(guide) ? guide[key] : undefined) ?? file[key];
  const records = shapes.filter((d) => d.type === 'record');
  const objects = shapes.filter((d) => d.type === 'object');
  // A map's keys are its own (`metrics.sources`); its values are checked. A map and an object both possible: unclear.
  if (records.length > 0) {
    if (objects.length > 0) return [];
    const values = records.flatMap((d) => defsOf(d.valueType));
    return Object.entries(file).flatMap(([key, value]) =>
      undeclaredAt(value, guideAt(key), values, `${prefix}${key}.`, noun, depth + 1),
    );
  }
  // An object that keeps keys it does not declare (looseObject, catchall) has no unknown ones.
  if (
    objects.length === 0 ||
    objects.some((d) => d.catchall !== undefined && defOf(d.catchall)?.type !== 'never')
  )
    return [];
  const known = [...new Set(objects.flatMap((d) => Object.keys(d.shape ?? {})))];
  return Object.entries(file).flatMap(([key, value]) => {
    if (!known.includes(key)) {
      const near = closestKey(key, known);
      return [
        {
          field: `${prefix}${key}`,
          message: `unknown ${noun}${near ? ` (did you mean ${prefix}${near}?)` : ''}`,
        },
      ];
    }
    const inner = objects.flatMap((d) => defsOf(d.shape?.[key]));
    return undeclaredAt(value, guideAt(key), inner, `${prefix}${key}.`, noun, depth + 1);
  });
}

const MAX_DEPTH = 32;

/**
 * Keys of a body that failed validation which the schema does not declare at their place, so a typo is named beside
 * the error it caused: `{"target": {"servce": "cart"}}` got only `body.target.service: expected string` (no parsed
 * value to compare with, hence the declared keys). Objects the schema declares no keys for (maps) are not looked into.
 */
export function undeclaredKeys(
  file: unknown,
  declared: DeclaredKeys,
  prefix = '',
  noun = 'field',
  path: Array<string | number> = [],
): FieldIssue[] {
  // A body that failed validation may be anything, e.g. arrays nested 10,000 deep (the fuzz suite's, a stack overflow
  // here): no schema of ours is nested this deep.
  if (path.length > MAX_DEPTH) return [];
  if (Array.isArray(file)) {
    return file.flatMap((item, i) => undeclaredKeys(item, declared, `${prefix}${i}.`, noun, [...path, i]));
  }
  const known = isPlainObject(file) ? declared(path) : undefined;
  if (!isPlainObject(file) || !known) return [];
  return Object.entries(file).flatMap(([key, value]) => {
    if (known.includes(key)) return undeclaredKeys(value, declared, `${prefix}${key}.`, noun, [...path, key]);
    const near = closestKey(key, known);
    return [
      {
        field: `${prefix}${key}`,
        message: `unknown ${noun}${near ? ` (did you mean ${prefix}${near}?)` : ''}`,
      },
    ];
  });
}

/**
 * The known key within two edits (case ignored), for the "did you mean" hint; failing that, the one the key begins
 * (a shortened name: `horizon` for `horizonMinutes`, `retrain` for `retrainIntervalHours`), for keys of 4+ letters.
 */
function closestKey(key: string, known: string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  if (best || lower.length < 4) return best?.key;
  const longer = known.filter((k) => k.toLowerCase().startsWith(lower)).sort((a, b) => a.length - b.length);
  return longer[0];
}

/** Levenshtein distance; keys are short, so the plain O(n·m) table is enough (no dependency for one hint). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
