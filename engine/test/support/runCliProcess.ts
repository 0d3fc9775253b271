import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'aicloudops.js');

export interface CliProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliProcessOptions {
  /** How long the process may run before it is killed (60 s). */
  timeoutMs?: number;
  /** The folder the CLI starts in (this process's own). */
  cwd?: string;
  /**
   * Leave out an inherited INIT_CWD and npm_command too: under `npm test` or `npx vitest` they say the CLI runs
   * under npm, and the tests of where paths resolve set them themselves in `env`.
   */
  withoutNpmEnv?: boolean;
}

/**
 * The CLI as a user runs it, in its own process from the sources: the caller's AICLOUDOPS_* variables left out (a
 * developer's own config must not leak into a test), `env` added. The third argument is the timeout in
 * milliseconds or the options.
 */
export function runCliProcess(
  args: string[],
  env: Record<string, string> = {},
  options: number | CliProcessOptions = {},
): Promise<CliProcessRun> {
  const {
    timeoutMs = 60_000,
    cwd,
    withoutNpmEnv = false,
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('AICLOUDOPS_') && !(withoutNpmEnv && (k === 'INIT_CWD' || k === 'npm_command')),
    ),
  );
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { ...clean, AICLOUDOPS_FROM_SOURCE: '1', ...env }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        // The exit code; 1 where there is none (killed by a signal, or an error code such as a full buffer's).
        const code = error ? (error as { code?: unknown }).code : 0;
        done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}
