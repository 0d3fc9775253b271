import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'aicloudops.js');

export interface CliProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as a user runs it, in its own process from the sources: the caller's AICLOUDOPS_* variables left out (a
 * developer's own config must not leak into a test), `env` added.
 */
export function runCliProcess(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliProcessRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AICLOUDOPS_')));
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...clean, AICLOUDOPS_FROM_SOURCE: '1', ...env }, timeout: timeoutMs },
      (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
