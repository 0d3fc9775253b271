import { Command, CommanderError } from 'commander';
import { CliContext } from './CliContext.js';
import { COMMANDS } from './commands/index.js';
import { Output } from './output.js';

export function buildProgram(): Command {
  const program = new Command('aicloudops')
    .description('AI-CloudOps engine: RCA, forecasting and autoscaling, the ops assistant')
    .option('-c, --config <file>', 'YAML config file (default: $AICLOUDOPS_CONFIG)')
    .option('-p, --profile <profile>', 'demo (embedded) or live')
    .option('--json', 'machine-readable output on stdout')
    .showHelpAfterError()
    .exitOverride();
  const cli = new CliContext(program);
  for (const register of COMMANDS) register(program, cli);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.exitCode = new Output(argv.includes('--json')).error(error);
  }
}

await main(process.argv);
