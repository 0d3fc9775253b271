import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/index.js';

const engineDir = resolve(import.meta.dirname, '..', '..');

/**
 * `npm start -- --config my.yaml` from the repository root runs the CLI in engine/ (npm keeps the user's folder as
 * INIT_CWD). Found walking the README: the file was looked for in engine/ ("cannot read config file my.yaml: ENOENT"),
 * and the default `dataDir: ./data` put `npm start`'s knowledge base in engine/data while `npx aicloudops ingest`
 * from the root wrote ./data, so docs ingested as the README says never reached the demo server.
 */
describe('aicloudops under npm resolves --config and a relative dataDir where the user typed the command', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cli-config-paths-')));
  const dataName = `walk-data-${process.pid}`;
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(engineDir, dataName), { recursive: true, force: true });
  });
  writeFileSync(
    join(dir, 'my.yaml'),
    `logLevel: silent\ndataDir: ${dataName}\ncluster: { kind: simulated, injectFaults: false }\n`,
  );
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes', 'kafka.md'), '# Kafka lag\n\nScale the consumer group.\n');

  /** The CLI started in engine/, as npm runs it; a test's `env` says which npm command and INIT_CWD. */
  const cli = (args: string[], env: Record<string, string>) =>
    runCliProcess(args, env, { cwd: engineDir, withoutNpmEnv: true });

  it('reads --config my.yaml from INIT_CWD and keeps the knowledge base in INIT_CWD/<dataDir>', async () => {
    const run = await cli(['--config', 'my.yaml', '--json', 'ingest', 'notes'], {
      npm_command: 'start',
      INIT_CWD: dir,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).reports[0]).toMatchObject({ root: join(dir, 'notes'), added: 1 });
    expect(existsSync(join(dir, dataName, 'knowledge-base'))).toBe(true);
    expect(existsSync(join(engineDir, dataName))).toBe(false);
  }, 60_000);

  it('AICLOUDOPS_CONFIG relative to INIT_CWD too, and a missing file is named with the path tried', async () => {
    const found = await cli(['--json', 'doctor'], {
      npm_command: 'start',
      INIT_CWD: dir,
      AICLOUDOPS_CONFIG: 'my.yaml',
    });
    expect(found.code).toBe(0);
    const missing = await cli(['--config', 'absent.yaml', 'doctor'], { npm_command: 'start', INIT_CWD: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read config file ${join(dir, 'absent.yaml')}`);
  }, 60_000);
});
