import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { Output } from './output.js';

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
