import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as a consumer gets it: `npm pack`ed and unpacked into an empty project's node_modules, with no
 * dependencies, loadable by `import` (Grafana's webpack, ESM backends) and by `require` (Backstage's CommonJS
 * backend build), both giving the same client.
 */
const run = promisify(execFile);
const packageDir = resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
let project: string;
let installed: string;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'engine-client-pack-'));
  // `npm pack` runs `prepare` (the build) first, so the tarball holds a fresh dist/.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], {
    cwd: packageDir,
    timeout: 120_000,
  });
  const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf('['))) as [{ filename: string }];
  await run('tar', ['-xzf', join(project, filename), '-C', project]);
  installed = join(project, 'node_modules', '@ai-cloudops', 'engine-client');
  mkdirSync(resolve(installed, '..'), { recursive: true });
  renameSync(join(project, 'package'), installed);
}, 150_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/** Runs a one-line program in the empty project, as its own module system resolves the package. */
async function inProject(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: project, timeout: 30_000 });
  return stdout.trim();
}

const PROBE = `Object.keys(m).sort().join(',') + ' ' + new m.EngineClient({ baseUrl: 'http://x/' }).constructor.name`;

describe('@ai-cloudops/engine-client as published', () => {
  it('has no runtime dependencies and ships only dist and its README', () => {
    expect(manifest['dependencies']).toBeUndefined();
    expect(manifest['peerDependencies']).toBeUndefined();
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'dist', 'package.json']);
  });

  it('loads by import and by require from the exports map, with the same exports', async () => {
    const esm = await inProject(['--input-type=module', '-e', `import * as m from '@ai-cloudops/engine-client'; console.log(${PROBE})`]);
    const cjs = await inProject(['--input-type=commonjs', '-e', `const m = require('@ai-cloudops/engine-client'); console.log(${PROBE})`]);
    expect(esm).toContain('createEngineClient');
    expect(esm).toContain('describeDeviation');
    expect(esm.endsWith(' EngineClient')).toBe(true);
    expect(cjs).toBe(esm);
    const resolved = await inProject(['--input-type=commonjs', '-e', `console.log(require.resolve('@ai-cloudops/engine-client'))`]);
    expect(resolved).toMatch(/dist\/cjs\/index\.js$/);
  });

  it('compiles the generated OpenAPI types to no code', () => {
    const generated = readFileSync(join(installed, 'dist/esm/generated/openapi.js'), 'utf8');
    expect(generated.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').trim()).toBe('export {};');
  });
});
