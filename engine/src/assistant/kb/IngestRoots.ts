import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../../errors.js';
import type { AssistantConfig } from '../config.js';

/** The runbooks shipped in the engine package (engine/runbooks beside src/ and dist/). */
export const PACKAGE_RUNBOOKS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'runbooks');

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

/**
 * The folders the engine may read documents from on a user's behalf. A path is checked twice: lexically first (so a
 * path outside never reaches the file system, which would tell the caller whether a host file exists), then with
 * its symlinks resolved (so a link inside a root cannot lead out of it).
 */
export class IngestRoots {
  private constructor(private readonly roots: Root[]) {}

  /** The shipped runbooks, `assistant.ingest.roots` and the folders of `assistant.sources`. */
  static fromConfig(config: Pick<AssistantConfig, 'ingest' | 'sources'>): IngestRoots {
    return IngestRoots.of([PACKAGE_RUNBOOKS_DIR, ...config.ingest.roots, ...config.sources.map((s) => s.path)]);
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

  /** Whether a real (symlink-resolved) path lies under a root. */
  containsReal(realPath: string): boolean {
    return this.roots.some((r) => isInside(r.real, realPath));
  }

  /**
   * The real path of `path` when it lies under a root; otherwise an INVALID_INPUT naming `field` that does not say
   * whether the path exists.
   */
  check(path: string, field: string): string {
    const absolute = resolve(path);
    const outside = () =>
      new EngineError('INVALID_INPUT', `${field}: ${path} is outside the folders the engine may read (assistant.ingest.roots)`, {
        issues: [{ field, message: 'outside the allowed ingest roots (assistant.ingest.roots)' }],
      });
    if (!this.roots.some((r) => isInside(r.given, absolute) || isInside(r.real, absolute))) throw outside();
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch {
      throw new EngineError('INVALID_INPUT', `${field}: ${path} does not exist on the engine host`, {
        issues: [{ field, message: `${path} does not exist` }],
      });
    }
    if (!this.containsReal(real)) throw outside();
    return real;
  }
}
