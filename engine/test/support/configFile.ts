import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { EngineError } from '../../src/errors.js';

/**
 * A config file with this text in a fresh folder, and the EngineError a config call throws: what the config tests
 * write and expect. Imported from this file, not index.ts: it uses vitest's expect, and the benchmarks import the
 * index outside vitest.
 */
export function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'aicloudops-config-')), 'config.yaml');
  writeFileSync(path, text);
  return path;
}

export function configError(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected an error');
}
