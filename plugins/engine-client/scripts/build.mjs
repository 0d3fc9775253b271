#!/usr/bin/env node
// Builds the package twice with the TypeScript compiler the workspace already has (no bundler: the sources are a
// few files with no dependencies, so there is nothing to bundle): ES modules into dist/esm and CommonJS into
// dist/cjs, whose package.json says `"type": "commonjs"` so Node and TypeScript read those .js/.d.ts files as CJS.
// It is also the package's `prepare` script, which npm runs for workspace links on `npm ci`, so the engine (which
// imports this package at run time) works from source straight after an install.
// Built beside dist/ and swapped in at the end: an engine running meanwhile never finds dist/ half written.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const staging = join(root, `.dist-${process.pid}`);

try {
  for (const [config, folder] of [
    ['tsconfig.esm.json', 'esm'],
    ['tsconfig.cjs.json', 'cjs'],
  ]) {
    const args = [tsc, '-p', join(root, config), '--outDir', join(staging, folder)];
    const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`tsc -p ${config} failed`);
  }
  mkdirSync(join(staging, 'cjs'), { recursive: true });
  writeFileSync(join(staging, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  renameSync(staging, join(root, 'dist'));
} finally {
  rmSync(staging, { recursive: true, force: true });
}
