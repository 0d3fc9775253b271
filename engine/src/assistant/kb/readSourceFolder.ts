import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { EngineError } from '../../errors.js';
import type { ChunkingConfig, IngestConfig } from '../config.js';
import type { Chunk } from './Chunk.js';
import { chunkDocument } from './chunkDocument.js';
import { formatOf, parseDocument } from './parseDocument.js';

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
  return { root, name: folder.name ?? root };
}

function resolveRoot(path: string): string {
  const root = resolve(path);
  if (!existsSync(root)) throw new EngineError('INVALID_INPUT', `ingest path ${path} does not exist`);
  if (existsSync(join(root, '.git')) && existsSync(join(root, 'docs')) && statSync(join(root, 'docs')).isDirectory()) {
    return join(root, 'docs');
  }
  return root;
}

function* walk(dir: string): Generator<string> {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/** Looks for an included file in `examples/` folders beside the page's ancestors, up to the ingest root. */
function includeResolver(root: string, file: string): (include: string) => string | undefined {
  return (include) => {
    const cleaned = include.replace(/^\/+/, '');
    let dir = dirname(file);
    const top = resolve(root, '..', '..');
    for (;;) {
      for (const candidate of [join(dir, 'examples', cleaned), join(dir, cleaned)]) {
        if (existsSync(candidate) && statSync(candidate).isFile() && statSync(candidate).size < 200_000) {
          return readFileSync(candidate, 'utf8');
        }
      }
      if (dir === top || dir === dirname(dir)) return undefined;
      dir = dirname(dir);
    }
  };
}

/**
 * Reads and chunks every document of a folder. A bad file (binary, too large, broken front matter) becomes a
 * per-file error and the rest continues; `knownHashes` lets unchanged files skip parsing (incremental re-ingest).
 */
export function readSourceFolder(
  folder: SourceFolder,
  ingest: IngestConfig,
  chunking: ChunkingConfig,
  knownHashes: Map<string, string> = new Map(),
): ReadSourceResult & { unchanged: string[] } {
  const { root, name: source } = resolveSource(folder);
  const excludes = [...ingest.exclude, ...(folder.exclude ?? [])].map(globToRegExp);
  const extensions = new Set(ingest.extensions.map((e) => e.toLowerCase()));
  const files: SourceFile[] = [];
  const errors: FileError[] = [];
  const unchanged: string[] = [];
  const single = statSync(root).isFile();
  const list = single ? [root] : [...walk(root)];
  const base = single ? dirname(root) : root;

  for (const abs of list) {
    const rel = relative(base, abs).split(sep).join('/');
    const ext = rel.slice(rel.lastIndexOf('.')).toLowerCase();
    if (!extensions.has(ext)) continue;
    if (excludes.some((re) => re.test(rel))) continue;
    // Examples are expanded into the pages that include them, not indexed on their own.
    if (/(^|\/)examples\//.test(rel) && !/\.(md|markdown|mdx|html?)$/i.test(rel)) continue;
    try {
      const size = statSync(abs).size;
      if (size > ingest.maxFileBytes) {
        throw new EngineError('INVALID_INPUT', `file is ${size} bytes, over the ${ingest.maxFileBytes}-byte limit`);
      }
      const buffer = readFileSync(abs);
      if (buffer.subarray(0, 8192).includes(0)) throw new EngineError('INVALID_INPUT', 'binary file (contains NUL bytes)');
      const hash = createHash('sha256').update(buffer).digest('hex');
      if (knownHashes.get(rel) === hash) {
        unchanged.push(rel);
        continue;
      }
      const content = buffer.toString('utf8');
      if (content.includes('\uFFFD')) throw new EngineError('INVALID_INPUT', 'not valid UTF-8 text');
      const format = formatOf(rel)!;
      const fallbackTitle = rel.split('/').pop()!.replace(/\.[^.]+$/, '').replace(/[-_]/g, ' ');
      const doc = parseDocument(content, format, { fallbackTitle, resolveInclude: includeResolver(base, abs) });
      const url = folder.baseUrl ? urlFor(folder.baseUrl, rel) : undefined;
      const chunks = chunkDocument(doc, { path: rel, source, ...(url ? { url } : {}) }, chunking);
      files.push({ path: rel, hash, chunks });
    } catch (error) {
      errors.push({ path: rel, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { source, root: base, files, errors, unchanged };
}
