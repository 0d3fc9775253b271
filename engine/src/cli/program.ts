import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { CliContext } from './CliContext.js';
import { COMMANDS } from './commands/index.js';

/** The `aicloudops` program with its global options and every subcommand (tests build it in-process). */
export function buildProgram(): Command {
  const program = new Command('aicloudops')
    .description('AI-CloudOps engine: RCA, forecasting and autoscaling, the ops assistant')
    .option('-c, --config <file>', 'YAML config file (default: $AICLOUDOPS_CONFIG)')
    .option('-p, --profile <profile>', 'demo (embedded) or live')
    .option('--json', 'machine-readable output on stdout')
    .option(
      '--server <url>',
      'work on a running engine (its cluster, store and model) instead of a one-shot one (default $AICLOUDOPS_URL)',
    )
    .option('--token <token>', 'bearer token for --server (default $AICLOUDOPS_TOKEN)')
    .version(engineVersion(), '-V, --version', 'print the engine package version')
    .showHelpAfterError()
    .exitOverride();
  const cli = new CliContext(program);
  for (const register of COMMANDS) register(program, cli);
  return program;
}

/** engine/package.json's version: two levels up from both src/cli/ and dist/cli/. */
function engineVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
