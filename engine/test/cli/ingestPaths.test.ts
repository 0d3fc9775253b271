import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invocationDir } from '../../src/cli/commands/ingest.js';

const engineDir = resolve(import.meta.dirname, '..', '..');
const bin = join(engineDir, 'bin', 'aicloudops.js');

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

  function ingest(
    cwd: string,
    path: string,
    env: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !k.startsWith('AICLOUDOPS_') && k !== 'INIT_CWD' && k !== 'npm_command',
      ),
    );
    return new Promise((done) => {
      execFile(
        process.execPath,
        [bin, '--config', config, '--json', 'ingest', path],
        { cwd, env: { ...clean, AICLOUDOPS_FROM_SOURCE: '1', ...env }, timeout: 60_000 },
        (error, stdout, stderr) => done({ code: error ? 1 : 0, stdout, stderr }),
      );
    });
  }

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
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('AICLOUDOPS_')),
    );
    const run = await new Promise<{ code: number; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [bin, '--config', config, 'ingest', join(dir, 'team', 'notes'), '--base-url', 'notaurl'],
        { env: { ...clean, AICLOUDOPS_FROM_SOURCE: '1' }, timeout: 60_000 },
        (error, _stdout, stderr) =>
          done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error INVALID_INPUT: --base-url must be an http(s) URL');
  }, 60_000);

  it('ignores an INIT_CWD inherited outside an npm command', () => {
    expect(invocationDir({ INIT_CWD: '/somewhere/else' })).toBe(process.cwd());
    expect(invocationDir({ INIT_CWD: '/repo', npm_command: 'run-script' })).toBe('/repo');
  });
});
