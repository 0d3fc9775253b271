import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invocationDir } from '../../src/cli/commands/ingest.js';
import { runCliProcess } from '../support/index.js';

const engineDir = resolve(import.meta.dirname, '..', '..');

/** `aicloudops ingest RELATIVE_PATH` from wherever the user stands (issue 17: it only worked from the repo root). */
describe('aicloudops ingest resolves paths where the user typed the command', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cli-ingest-paths-')));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    `logLevel: silent\ndataDir: ${join(dir, 'data')}\ncluster: { kind: simulated, injectFaults: false }\n`,
  );
  mkdirSync(join(dir, 'team', 'notes'), { recursive: true });
  writeFileSync(join(dir, 'team', 'notes', 'kafka.md'), '# Kafka lag\n\nScale the consumer group.\n');

  /** `ingest PATH` started in `cwd`; a test's `env` says whether it runs under npm. */
  const ingest = (cwd: string, path: string, env: Record<string, string>) =>
    runCliProcess(['--config', config, '--json', 'ingest', path], env, { cwd, withoutNpmEnv: true });

  it('from a subfolder, relative to the current directory', async () => {
    const run = await ingest(join(dir, 'team'), 'notes', {});
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).reports[0]).toMatchObject({ root: join(dir, 'team', 'notes'), added: 1 });
  });

  it('through npm exec -w (cwd is the package folder), relative to where npm was run', async () => {
    const run = await ingest(engineDir, 'team/notes', { npm_command: 'exec', INIT_CWD: dir });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).reports[0]).toMatchObject({ root: join(dir, 'team', 'notes') });
  });

  it('refuses a --base-url that is not an http(s) URL, naming the flag (citation links were "notaurl/...")', async () => {
    const run = await runCliProcess([
      '--config',
      config,
      'ingest',
      join(dir, 'team', 'notes'),
      '--base-url',
      'notaurl',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error INVALID_INPUT: --base-url must be an http(s) URL');
  }, 60_000);

  it('ignores an INIT_CWD inherited outside an npm command', () => {
    expect(invocationDir({ INIT_CWD: '/somewhere/else' })).toBe(process.cwd());
    expect(invocationDir({ INIT_CWD: '/repo', npm_command: 'run-script' })).toBe('/repo');
  });
});
