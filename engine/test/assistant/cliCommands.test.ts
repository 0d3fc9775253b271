import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/runCliInProcess.js';

/** `aicloudops ingest PATH` then `aicloudops ask "QUESTION"` as two separate runs sharing the config's data folder. */
describe('aicloudops ingest / ask', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-assistant-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const configFile = join(dir, 'config.yaml');
  writeFileSync(
    configFile,
    `logLevel: silent\ndataDir: ${join(dir, 'data')}\ncluster:\n  kind: simulated\n  injectFaults: false\n`,
  );
  const docs = join(dir, 'docs');

  const run = (args: string[]) => runCliInProcess(['--config', configFile, ...args]);

  it('ingests a folder, reporting bad files, and answers from it in the next run', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(docs);
    writeFileSync(
      join(docs, 'kafka.md'),
      '---\ntitle: Kafka consumer lag\n---\n## Fix\n1. Scale the consumer group with the lag-buster job.\n',
    );
    writeFileSync(join(docs, 'broken.md'), '---\ntitle: [x\n---\n');
    const ingest = await run(['ingest', docs]);
    expect(ingest.stdout).toMatch(/1 added, 0 updated, 0 unchanged, 0 removed/);
    expect(ingest.stdout).toMatch(/✗ broken\.md: broken front matter/);
    expect(ingest.exitCode).toBe(1);

    const ask = await run(['ask', 'kafka consumer lag fix']);
    expect(ask.stdout).toContain('lag-buster');
    expect(ask.stdout).toMatch(/Sources:\n\[1\] Kafka consumer lag > Fix \(kafka\.md\)/);
    expect(ask.stdout).toMatch(/extractive answer, conversation [\w-]+/);

    const json = await run(['--json', 'ask', 'kafka consumer lag fix']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      mode: 'extractive',
      citations: [{ n: 1, path: 'kafka.md' }],
    });
  });

  it('escapes control characters from the engine (an ingested title, the answer) on the terminal', async () => {
    const { mkdirSync } = await import('node:fs');
    const hostile = join(dir, 'hostile');
    mkdirSync(hostile);
    writeFileSync(
      join(hostile, 'zookeeper.md'),
      '---\ntitle: "Zookeeper quorum \\e[2J\\e[31mlost"\n---\n## Fix\n1. Restart the \u001b[2Jzookeeper ensemble one node at a time.\n',
    );
    await run(['ingest', hostile]);
    const ask = await run(['ask', 'zookeeper quorum lost fix']);
    expect(ask.stdout).toContain('ensemble');
    expect(ask.stdout).not.toContain('\u001b');
    expect(ask.stdout).toContain('\\x1b[2J');
  });
});
