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
