import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliContext } from './CliContext.js';
import { Output } from './output.js';
import { EngineError } from '../errors.js';
import { COMMANDS } from './commands/index.js';
import { refuseEmptyValues } from './flags.js';

/** The `aicloudops` program with its global options and every subcommand (tests build it in-process). */
export function buildProgram(): Command {
  const program = new Command('aicloudops')
    .description(
      'AI-CloudOps engine: RCA, forecasting and autoscaling, Kubernetes auto-repair, unified alerting and the ops assistant',
    )
    .option('-c, --config <file>', 'YAML config file (default: $AICLOUDOPS_CONFIG)')
    .option('-p, --profile <profile>', 'demo (embedded) or live')
    .option('--json', 'machine-readable output on stdout')
    .option(
      '--server <url>',
      'work on a running engine (its cluster, store and model) instead of a one-shot one (default $AICLOUDOPS_URL)',
    )
    .option('--token <token>', 'bearer token for --server (default $AICLOUDOPS_TOKEN)')
    .version(engineVersion(), '-V, --version', 'print the engine package version')
    .configureOutput({
      // With --json a usage error (unknown option, missing argument, two options that conflict) is a JSON error on
      // stdout like a bad value's: a script read nothing there before. The usage help still goes to stderr.
      outputError: (text, write) => {
        if (!program.opts<{ json?: boolean }>().json) return write(text);
        const message = text.trim().replace(/^error: /, '');
        new Output(true).error(new EngineError('INVALID_INPUT', message));
      },
    })
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', (_program, command) => refuseEmptyValues(command));
  const cli = new CliContext(program);
  for (const register of COMMANDS) register(program, cli);
  return program;
}

/**
 * Parses `argv` and runs the command, setting the exit code; what a command or an option parser throws is printed
 * as the error it is (the bin and the in-process test runner both come here, so they print the same).
 */
export async function runProgram(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // A usage error (unknown option, missing argument, two options that conflict) exits 2 like a bad value does
      // (Output.error); help and --version keep commander's 0.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      // No command (`aicloudops --json`, `aicloudops repair --json`): commander prints the help and no error, so a
      // script read an empty document where every other usage error is a JSON one.
      if (error.code === 'commander.help' && argv.includes('--json'))
        new Output(true).error(new EngineError('INVALID_INPUT', 'missing command (the help lists them)'));
      return;
    }
    process.exitCode = new Output(argv.includes('--json')).error(error);
  }
}

/** engine/package.json's version: two levels up from both src/cli/ and dist/cli/. */
function engineVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
