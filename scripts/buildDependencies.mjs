#!/usr/bin/env node
// `prebuild` of every workspace package that imports another one's build output (the plugins import
// @ai-cloudops/engine's dist/ exports): builds those dependencies first, through turbo's graph and cache, so
// `npm run build -w <package>` works on a fresh clone. Under `turbo run build` the dependencies are already built
// (turbo.json: build dependsOn ^build), so this does nothing there; turbo sets TURBO_HASH for every task it runs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.TURBO_HASH) process.exit(0);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
const result = spawnSync(
  'npx',
  ['turbo', 'run', 'build', `--filter=${name}^...`, '--output-logs=errors-only'],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
