import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A `t('key', 'English default')` call found in the source. */
export interface ExtractedMessage {
  key: string;
  defaultMessage: string;
  file: string;
}

/** Nested catalog as Grafana loads it from `locales/<lang>/<pluginId>.json` (i18next object notation). */
export interface Catalog {
  [key: string]: string | Catalog;
}

// i18next-cli (the create-plugin template's `i18n-extract`) is not installed here and adding it means a new dev
// dependency with its own parser stack; our calls follow one shape (literal key, literal default), which a regex reads.
const T_CALL = /(?<![\w.$])t\(\s*(['"])((?:\\.|(?!\1).)+?)\1\s*,\s*(['"`])((?:\\.|(?!\3)[\s\S])*?)\3\s*[,)]/g;
const T_ANY_CALL = /(?<![\w.$])t\(\s*(?!\))/g;
// <Trans i18nKey="key" defaults="English with <code>tags</code>" components={...} />
const TRANS = /<Trans\s+i18nKey="([^"]+)"\s+defaults="([^"]*)"/g;
const TRANS_ANY = /<Trans\b/g;

const unescape = (s: string) => s.replace(/\\(['"`\\])/g, '$1').replace(/\\n/g, '\n');

function sourceFiles(dir: string, exclude: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (exclude(path)) {
      return [];
    }
    if (statSync(path).isDirectory()) {
      return sourceFiles(path, exclude);
    }
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every translated message under `dir`, plus the calls whose key or default is not a literal (which no tool can extract). */
export function extractMessages(
  dirs: string[],
  exclude: (path: string) => boolean = () => false
): { messages: ExtractedMessage[]; unreadable: string[] } {
  const messages: ExtractedMessage[] = [];
  const unreadable: string[] = [];
  for (const [dir, path] of dirs.flatMap((d) => sourceFiles(d, exclude).map((p) => [d, p] as const))) {
    const text = readFileSync(path, 'utf8');
    const file = relative(dir, path);
    const literal = new Set<number>();
    for (const m of text.matchAll(T_CALL)) {
      literal.add(m.index ?? -1);
      messages.push({ key: m[2], defaultMessage: unescape(m[4]), file });
    }
    for (const m of text.matchAll(TRANS)) {
      literal.add(m.index ?? -1);
      messages.push({ key: m[1], defaultMessage: m[2], file });
    }
    for (const m of [...text.matchAll(T_ANY_CALL), ...text.matchAll(TRANS_ANY)]) {
      if (!literal.has(m.index ?? -1)) {
        unreadable.push(`${file}: ${text.slice(m.index, (m.index ?? 0) + 60).split('\n')[0]}`);
      }
    }
  }
  return { messages, unreadable };
}

/** Flattens `{ a: { b: 'x' } }` to `{ 'a.b': 'x' }`. */
export function flatten(catalog: Catalog, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(catalog).flatMap(([k, v]) =>
      typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flatten(v, `${prefix}${k}.`))
    )
  );
}

/** The inverse of {@link flatten}, keys sorted so a regenerated catalog diffs cleanly. */
export function nest(flat: Record<string, string>): Catalog {
  const root: Catalog = {};
  for (const key of Object.keys(flat).sort()) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Catalog;
    }
    node[parts[parts.length - 1]] = flat[key];
  }
  return root;
}
