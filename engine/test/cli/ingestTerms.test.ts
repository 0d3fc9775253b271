import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoServerPerFile } from '../support/demoServerPerFile.js';
import { runCliProcess } from '../support/runCliProcess.js';

/**
 * Found walking the README's ingest commands: a running engine's refusal named its body (`body.paths.0: /x is
 * outside the folders the engine may read`), and a one-shot engine stored an `--attribution` of 600 characters that
 * a running engine refused. Both now check the route's body and name what the user typed.
 */
describe('aicloudops ingest names its flags and arguments on both paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-ingest-terms-'));
  const docs = join(dir, 'docs');
  const long = 'x'.repeat(600);
  mkdirSync(docs);
  writeFileSync(join(docs, 'page.md'), '# A page\n\nSome text about pods.\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const server = demoServerPerFile({ dataDir: join(dir, 'server-data'), alerts: { autoRca: false } });

  // Run where nothing else lives: a one-shot engine keeps its knowledge base in ./data.
  const cli = (args: string[]) => runCliProcess(args, {}, { cwd: dir, withoutNpmEnv: true });

  it('an --attribution over the bound is refused the same one-shot and with --server', async () => {
    const expected =
      'error INVALID_INPUT: invalid request: --attribution: Too big: expected string to have <=500 characters\n';
    const oneShot = await cli(['ingest', docs, '--attribution', long]);
    expect([oneShot.code, oneShot.stderr]).toEqual([2, expected]);
    const remote = await cli(['--server', server.url, 'ingest', docs, '--attribution', long]);
    expect([remote.code, remote.stderr]).toEqual([2, expected]);
  }, 60_000);

  it('a one-shot ingest of a path that does not exist names <paths...>, as a running engine does', async () => {
    // It said `ingest path /x does not exist` with no field, after a progress line `reading /x`.
    const missing = join(dir, 'missing');
    const run = await cli(['ingest', missing]);
    expect([run.code, run.stderr]).toEqual([
      2,
      `error INVALID_INPUT: <paths...>: ${missing} does not exist\n`,
    ]);
    const json = await cli(['--json', 'ingest', missing]);
    expect(JSON.parse(json.stdout).error.issues).toEqual([
      { field: 'paths', message: `${missing} does not exist` },
    ]);
  }, 60_000);

  it('a folder outside the roots is named <paths...>, and paths in JSON', async () => {
    const run = await cli(['--server', server.url, '--json', 'ingest', join(dir, 'elsewhere')]);
    expect(run.code).toBe(2);
    const { error } = JSON.parse(run.stdout) as { error: { message: string; issues: { field: string }[] } };
    expect(error.message).toMatch(/^<paths\.\.\.>: .*elsewhere is outside the folders the engine may read/);
    expect(error.issues.map((i) => i.field)).toEqual(['paths']);
    // Said once: the issue under the message repeated it in other words.
    const human = await cli(['--server', server.url, 'ingest', join(dir, 'elsewhere')]);
    expect(human.stderr.trim().split('\n')).toEqual([
      `error INVALID_INPUT: <paths...>: ${join(dir, 'elsewhere')} is outside the folders the engine may read (assistant.ingest.roots)`,
    ]);
  }, 60_000);
});
