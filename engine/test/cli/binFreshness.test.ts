import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * bin/aicloudops.js runs engine/dist only when it is at least as new as engine/src. A copy of the launcher beside a
 * dist and a src that each print their name, inside engine/ so `tsx` resolves from its node_modules.
 */
describe('the aicloudops launcher', () => {
  const root = mkdtempSync(join(import.meta.dirname, '..', '..', '.tmp-launcher-'));
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  copyFileSync(
    join(import.meta.dirname, '..', '..', 'bin', 'aicloudops.js'),
    join(root, 'bin', 'aicloudops.js'),
  );
  writeFileSync(join(root, 'dist', 'cli', 'main.js'), "console.log('compiled');\n");
  writeFileSync(join(root, 'src', 'cli', 'main.ts'), "console.log('source');\n");
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const setTimes = (file: string, seconds: number) => utimesSync(join(root, file), seconds, seconds);
  const run = (env: Record<string, string> = {}) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('AICLOUDOPS_')),
    );
    return execFileSync(process.execPath, [join(root, 'bin', 'aicloudops.js')], {
      env: { ...clean, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  };

  it('runs the build when it is newer than every source, and the sources when one changed after it', () => {
    setTimes('src/cli/main.ts', 1_000_000);
    setTimes('dist/cli/main.js', 2_000_000);
    expect(run().trim()).toBe('compiled');
    setTimes('src/cli/main.ts', 3_000_000);
    expect(run().trim()).toBe('source');
  }, 60_000);

  it('runs the sources when asked to, whatever the times', () => {
    setTimes('src/cli/main.ts', 1_000_000);
    setTimes('dist/cli/main.js', 2_000_000);
    expect(run({ AICLOUDOPS_FROM_SOURCE: '1' }).trim()).toBe('source');
  }, 60_000);
});
