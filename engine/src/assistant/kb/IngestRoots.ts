import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../../errors.js';
import type { AssistantConfig } from '../config.js';

/** The runbooks shipped in the engine package (engine/runbooks beside src/ and dist/). */
export const PACKAGE_RUNBOOKS_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'runbooks',
);

/** Whether `child` is `parent` or below it (both absolute and normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

interface Root {
  /** As configured, made absolute: a path under it is recognised before any file-system call. */
  given: string;
  /** With symlinks resolved: what a real path must be under. */
  real: string;
}

export type Resolution = { ok: true; real: string } | { ok: false; reason: 'outside' | 'missing' | 'loop' };

/** Linux's limit on links followed in one path lookup (MAXSYMLINKS). */
const MAX_LINK_HOPS = 40;

/**
 * Why a path outside the roots is refused. The issue says the words the message says: the CLI prints an issue the
 * message does not already carry, and `outside the allowed ingest roots` under `... is outside the folders the engine
 * may read` said it twice.
 */
const OUTSIDE = 'outside the folders the engine may read (assistant.ingest.roots)';

/**
 * The folders the engine may read documents from on a user's behalf. A path is checked lexically first, then resolved
 * one component at a time from the root's real path: a symbolic link is read (readlink, inside the root) and its
 * target checked before anything is done with it. So a path or link that leads out is refused without any system call
 * on the outside path: nothing outside is opened, stat'ed or tested for existence (measured with strace in
 * test/assistant/ingestSyscalls.test.ts), and the caller learns nothing about the host's files.
 */
export class IngestRoots {
  private constructor(private readonly roots: Root[]) {}

  /** The shipped runbooks, `assistant.ingest.roots` and the folders of `assistant.sources`. */
  static fromConfig(config: Pick<AssistantConfig, 'ingest' | 'sources'>): IngestRoots {
    return IngestRoots.of([
      PACKAGE_RUNBOOKS_DIR,
      ...config.ingest.roots,
      ...config.sources.map((s) => s.path),
    ]);
  }

  /** Roots from paths; ones that do not exist are left out (nothing can be read under them). */
  static of(paths: string[]): IngestRoots {
    const roots: Root[] = [];
    for (const path of paths) {
      const given = resolve(path);
      if (!existsSync(given)) continue;
      roots.push({ given, real: realpathSync(given) });
    }
    return new IngestRoots(roots);
  }

  /** Real paths of the roots (for reports; never shown to non-admins). */
  list(): string[] {
    return [...new Set(this.roots.map((r) => r.real))];
  }

  /** Whether an absolute path lies under a root as written (no file-system call). */
  containsLexically(path: string): boolean {
    const absolute = resolve(path);
    return this.roots.some((r) => isInside(r.given, absolute) || isInside(r.real, absolute));
  }

  /** The real path of `path` if it and every link on the way stay under the roots. */
  resolveInside(path: string): Resolution {
    const absolute = resolve(path);
    const root =
      this.roots.find((r) => isInside(r.real, absolute)) ??
      this.roots.find((r) => isInside(r.given, absolute));
    if (!root) return { ok: false, reason: 'outside' };
    const base = isInside(root.real, absolute) ? root.real : root.given;
    let current = root.real;
    const pending = relative(base, absolute).split(sep).filter(Boolean);
    for (let hops = 0; pending.length > 0;) {
      const next = join(current, pending.shift()!);
      const stat = lstatSync(next, { throwIfNoEntry: false });
      if (!stat) return { ok: false, reason: 'missing' };
      if (!stat.isSymbolicLink()) {
        current = next;
        continue;
      }
      if (++hops > MAX_LINK_HOPS) return { ok: false, reason: 'loop' };
      const target = resolve(current, readlinkSync(next));
      const landing = this.roots.find((r) => isInside(r.real, target));
      if (!landing) return { ok: false, reason: 'outside' };
      current = landing.real;
      pending.unshift(...relative(landing.real, target).split(sep).filter(Boolean));
    }
    return { ok: true, real: current };
  }

  /**
   * The real path of `path` when it lies under a root; otherwise an INVALID_INPUT naming `field` that does not say
   * whether the path exists.
   */
  check(path: string, field: string): string {
    const outside = () =>
      new EngineError('INVALID_INPUT', `${field}: ${path} is ${OUTSIDE}`, {
        issues: [{ field, message: OUTSIDE }],
      });
    if (!this.containsLexically(path)) throw outside();
    const resolved = this.resolveInside(path);
    if (resolved.ok) return resolved.real;
    if (resolved.reason === 'outside') throw outside();
    const message =
      resolved.reason === 'missing' ? `${path} does not exist` : `${path} has a loop of symbolic links`;
    throw new EngineError('INVALID_INPUT', `${field}: ${message} on the engine host`, {
      issues: [{ field, message }],
    });
  }
}
