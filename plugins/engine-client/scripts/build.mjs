#!/usr/bin/env node
// Builds the package twice with the TypeScript compiler the workspace already has (no bundler: the sources are a
// few files with no dependencies, so there is nothing to bundle): ES modules into dist/esm and CommonJS into
// dist/cjs, whose package.json says `"type": "commonjs"` so Node and TypeScript read those .js/.d.ts files as CJS.
// It is also the package's `prepare` script, which npm runs for workspace links on `npm ci`, so the engine (which
// imports this package at run time) works from source straight after an install.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const config of ['tsconfig.esm.json', 'tsconfig.cjs.json']) {
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, config)], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
mkdirSync(join(root, 'dist', 'cjs'), { recursive: true });
writeFileSync(join(root, 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
