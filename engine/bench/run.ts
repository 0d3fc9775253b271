import { existsSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createContext, parseOptions, writeResults, type BenchMain } from './lib.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const available = () =>
  readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .sort();

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name.startsWith('--')) {
    console.error(
      `usage: npm run bench -- NAME [--data PATH] [options]\nbenchmarks: ${available().join(', ')}`,
    );
    process.exit(2);
  }
  const file = resolve(benchDir, `${name}.bench.ts`);
  if (!existsSync(file)) {
    console.error(`unknown benchmark "${name}"; available: ${available().join(', ')}`);
    process.exit(2);
  }
  const module = (await import(pathToFileURL(file).href)) as { main: BenchMain };
  const results = await module.main(createContext(name, parseOptions(rest)));
  const written = writeResults(name, results);
  console.log(`\nresults written to ${written}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
