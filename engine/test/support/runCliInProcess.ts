import { runProgram } from '../../src/cli/program.js';

export interface CliRun {
  stdout: string;
  stderr: string;
  /** How many separate writes reached stdout (a streamed answer arrives in many). */
  writes: number;
  exitCode: number;
}

/**
 * Runs `aicloudops ARGS` in this process with the real program (every command and global option), capturing what
 * it writes. Faster than a child process where a test needs a server it started itself.
 */
export async function runCliInProcess(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  let writes = 0;
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const before = process.exitCode;
  process.exitCode = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += String(chunk)),
    writes++,
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    await runProgram(['node', 'aicloudops', ...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = before;
  return { stdout, stderr, writes, exitCode };
}
