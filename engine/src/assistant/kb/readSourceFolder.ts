import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { EngineError } from '../../errors.js';
import type { ChunkingConfig, IngestConfig } from '../config.js';
import type { Chunk } from './Chunk.js';
import { chunkDocument } from './chunkDocument.js';
import { IngestRoots } from './IngestRoots.js';
import { formatOf, parseDocument } from './parseDocument.js';
import { readTextFile } from './readTextFile.js';

/** `**` any depth, `*` within a segment, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export interface SourceFolder {
  /** Folder to read; a git checkout's root is read through its `docs/` folder when it has one. */
  path: string;
  /** Name recorded on the chunks; defaults to the resolved path. */
  name?: string;
  baseUrl?: string;
  exclude?: string[];
  /** Credit shown with every citation from this source (licence terms such as CC BY require it). */
  attribution?: string;
}

export interface SourceFile {
  path: string;
  hash: string;
  chunks: Chunk[];
}

export interface FileError {
  path: string;
  message: string;
}

export interface ReadSourceResult {
  source: string;
  root: string;
  files: SourceFile[];
  errors: FileError[];
}

/** Page URL from a repository path: Hugo `content/<lang>/` prefix and the extension dropped, `_index`/`index` → folder. */
export function urlFor(baseUrl: string, relPath: string): string {
  let p = relPath.replace(/\\/g, '/').replace(/^content\/[a-z]{2}(?:-[a-z]+)?\//i, '');
  p = p.replace(/\.(md|markdown|mdx|html?|txt)$/i, '');
  p = p.replace(/(^|\/)(_index|index|README)$/i, '$1');
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/${p}${p && !p.endsWith('/') ? '/' : ''}`;
}

/** The folder actually read and the source name chunks are recorded under. */
export function resolveSource(folder: SourceFolder): { root: string; name: string } {
  const root = resolveRoot(folder.path);
  return { root, name: folder.name ?? defaultSourceName(root) };
}

/**
 * A folder ingested without a name is named by its last segment and a hash of its path: stable, so re-ingesting the
 * folder replaces it, and distinct for two `docs/` folders. Not the path itself: the name reaches every reader of a
 * citation, search result and document list, viewers included, and a host path is not theirs to see.
 */
export function defaultSourceName(root: string): string {
  return `${basename(root) || 'root'}-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`;
}

function resolveRoot(path: string): string {
  const root = resolve(path);
  if (!existsSync(root)) throw new EngineError('INVALID_INPUT', `ingest path ${path} does not exist`);
  if (
    existsSync(join(root, '.git')) &&
    existsSync(join(root, 'docs')) &&
    statSync(join(root, 'docs')).isDirectory()
  ) {
    return join(root, 'docs');
  }
  return root;
}

interface Entry {
  path: string;
  /** A symbolic link: followed only to a file inside the ingest root. */
  link: boolean;
}

// Folder links are never followed: they could lead out of the root or into a cycle, and Hugo sites do not use them.
function* walk(dir: string): Generator<Entry> {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield { path: full, link: false };
    else if (entry.isSymbolicLink()) yield { path: full, link: true };
  }
}

/** The real path a walked entry is read from, refusing links that leave the folder or name a folder. */
function realEntry(entry: Entry, scope: IngestRoots): string {
  const resolved = scope.resolveInside(entry.path);
  if (!resolved.ok) {
    const why = {
      outside: 'symbolic link leads outside the ingest root; not read',
      missing: 'broken symbolic link',
      loop: 'loop of symbolic links',
    };
    throw new EngineError('INVALID_INPUT', why[resolved.reason]);
  }
  if (!statSync(resolved.real).isFile())
    throw new EngineError('INVALID_INPUT', 'symbolic link to a folder; not followed');
  return resolved.real;
}

interface IncludeScope {
  /** The folder the user named: no include is read from outside it. */
  folder: IngestRoots;
  /** Its real path, where the upward search for `examples/` stops. */
  top: string;
  excludes: RegExp[];
  maxBytes: number;
}

/**
 * Looks for an included file in `examples/` folders beside the page's ancestors, up to the ingest root (Hugo's
 * `code_sample`/`codenew` layout). A candidate outside the root is refused before any file-system call, one that leads
 * outside through a link, matches an exclude, or is binary or oversized is refused; every refusal is recorded for the
 * page's per-file errors.
 */
function includeResolver(
  scope: IncludeScope,
  page: string,
  refusals: string[],
): (include: string) => string | undefined {
  return (include) => {
    const cleaned = include.replace(/^\/+/, '');
    const refuse = (why: string) => {
      refusals.push(`include "${include}" refused: ${why}`);
      return undefined;
    };
    let dir = dirname(page);
    for (;;) {
      for (const candidate of [join(dir, 'examples', cleaned), join(dir, cleaned)]) {
        if (!scope.folder.containsLexically(candidate)) return refuse('outside the ingest root');
        const resolved = scope.folder.resolveInside(candidate);
        if (!resolved.ok && resolved.reason === 'missing') continue;
        if (!resolved.ok)
          return refuse(
            resolved.reason === 'outside'
              ? 'leads outside the ingest root through a symbolic link'
              : 'loop of symbolic links',
          );
        if (!statSync(resolved.real).isFile()) continue;
        const rel = relative(scope.top, resolved.real).split(sep).join('/');
        if (scope.excludes.some((re) => re.test(rel))) return refuse('matches an exclude pattern');
        try {
          return readTextFile(resolved.real, scope.maxBytes).text;
        } catch (error) {
          return refuse(error instanceof Error ? error.message : String(error));
        }
      }
      if (dir === scope.top || dir === dirname(dir)) return undefined;
      dir = dirname(dir);
    }
  };
}

/** The folder the user named (a single file's real folder): what nothing read may leave. */
function folderScope(folder: SourceFolder): IngestRoots {
  const given = resolve(folder.path);
  const real = realpathSync(given);
  return IngestRoots.of([statSync(real).isFile() ? dirname(real) : given]);
}

/**
 * Reads and chunks every document of a folder. A bad file (binary, too large, broken front matter, a link or an
 * include leading out of the folder) becomes a per-file error and the rest continues; `knownHashes` lets unchanged
 * files skip parsing (incremental re-ingest). Nothing outside the folder is read; when `roots` is given the folder
 * itself must lie inside them (the HTTP route and configured sources pass the configured allow-list).
 */
export function readSourceFolder(
  folder: SourceFolder,
  ingest: IngestConfig,
  chunking: ChunkingConfig,
  knownHashes: Map<string, string> = new Map(),
  roots?: IngestRoots,
): ReadSourceResult & { unchanged: string[] } {
  // With roots, the folder is read through the real path they approved: a name swapped for a link later is not followed.
  const approved = roots?.check(folder.path, 'path');
  const reading = approved ? { ...folder, path: approved } : folder;
  const { name: source } = resolveSource(folder);
  const { root } = resolveSource(reading);
  const excludes = [...ingest.exclude, ...(folder.exclude ?? [])].map(globToRegExp);
  const extensions = new Set(ingest.extensions.map((e) => e.toLowerCase()));
  const folderRoots = folderScope(reading);
  const scope: IncludeScope = {
    folder: folderRoots,
    top: folderRoots.list()[0]!,
    excludes,
    maxBytes: ingest.maxFileBytes,
  };
  const files: SourceFile[] = [];
  const errors: FileError[] = [];
  const unchanged: string[] = [];
  const single = statSync(root).isFile();
  const list: Entry[] = single ? [{ path: root, link: lstatSync(root).isSymbolicLink() }] : [...walk(root)];
  const base = single ? dirname(root) : root;

  for (const entry of list) {
    const rel = relative(base, entry.path).split(sep).join('/');
    // A link named without an extension is most likely a folder: one leading outside is listed like a file link
    // (it was skipped silently), found without touching the outside path. Its target is not stat'ed, so a link to
    // a folder inside stays skipped as before (folder links are not followed; what they lead to is walked anyway).
    if (entry.link && !/\.[^./]+$/.test(rel) && !excludes.some((re) => re.test(rel))) {
      const resolved = scope.folder.resolveInside(entry.path);
      if (!resolved.ok && resolved.reason === 'outside') {
        errors.push({ path: rel, message: 'symbolic link leads outside the ingest root; not read' });
        continue;
      }
    }
    const ext = rel.slice(rel.lastIndexOf('.')).toLowerCase();
    if (!extensions.has(ext)) {
      // A folder's other files are skipped; a file named on its own is why the user ran ingest: `ingest /etc/hostname`
      // reported 0 files, exit 0, as if it had worked.
      if (single)
        errors.push({ path: rel, message: `not ingested: only ${[...extensions].join(', ')} files are` });
      continue;
    }
    if (excludes.some((re) => re.test(rel))) continue;
    // Examples are expanded into the pages that include them, not indexed on their own.
    if (/(^|\/)examples\//.test(rel) && !/\.(md|markdown|mdx|html?)$/i.test(rel)) continue;
    try {
      const abs = realEntry(entry, scope.folder);
      const { text: content, hash } = readTextFile(abs, ingest.maxFileBytes);
      if (knownHashes.get(rel) === hash) {
        unchanged.push(rel);
        continue;
      }
      const format = formatOf(rel)!;
      const fallbackTitle = rel
        .split('/')
        .pop()!
        .replace(/\.[^.]+$/, '')
        .replace(/[-_]/g, ' ');
      const refusals: string[] = [];
      const doc = parseDocument(content, format, {
        fallbackTitle,
        resolveInclude: includeResolver(scope, abs, refusals),
      });
      const url = folder.baseUrl ? urlFor(folder.baseUrl, rel) : undefined;
      const chunks = chunkDocument(doc, { path: rel, source, ...(url ? { url } : {}) }, chunking);
      files.push({ path: rel, hash, chunks });
      // The page is kept without the refused include; the refusal is still reported, never silently dropped.
      for (const message of new Set(refusals)) errors.push({ path: rel, message });
    } catch (error) {
      errors.push({ path: rel, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { source, root: base, files, errors, unchanged };
}
