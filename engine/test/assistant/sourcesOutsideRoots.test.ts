import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AssistantService } from '../../src/assistant/AssistantService.js';
import { configSchema } from '../../src/config/schema.js';
import { createEngine } from '../../src/engine.js';

/**
 * Sources stay in the knowledge base until removed, whatever `assistant.ingest.roots` says at the next start (ADR 6:
 * roots bound what the server reads for a caller; a folder the CLI ingested is its user's and is served by design).
 * A restart used to serve such a source without a word; it is now named in the log with its root.
 */
describe('a restarted engine whose knowledge base holds sources outside the roots', () => {
  const top = mkdtempSync(join(tmpdir(), 'kb-roots-'));
  afterAll(() => rmSync(top, { recursive: true, force: true }));
  const folder = (name: string) => {
    const dir = join(top, name);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'page.md'),
      `# ${name} page\n\nHow ${name} rotates its credentials, step by step.\n`,
    );
    return dir;
  };
  const kept = folder('kept');
  const dropped = folder('dropped');
  const cli = folder('cli');
  const config = (roots: string[]) =>
    configSchema.parse({
      logLevel: 'silent',
      dataDir: join(top, 'data'),
      cluster: { kind: 'simulated', injectFaults: false },
      assistant: { includeRunbooks: false, ingest: { roots } },
    });

  it('keeps serving them and names each with its root at start', async () => {
    const first = await createEngine(config([kept, dropped]));
    try {
      const assistant = await AssistantService.create(first.context);
      await assistant.init();
      for (const path of [kept, dropped]) {
        const job = await assistant.ingest({ paths: [path] });
        expect((await first.context.jobs.wait(job.id)).status).toBe('succeeded');
      }
      // The CLI reads as the host user: the folder it is given is its own root.
      await assistant.kb.ingest({ path: cli });
    } finally {
      await first.close();
    }

    const lines: Array<{ msg: string; root?: string; source?: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const second = await createEngine(config([kept]), { logger });
    try {
      const assistant = await AssistantService.create(second.context);
      await assistant.init();
      expect(
        assistant.kb
          .stats()
          .sources.map((s) => s.root)
          .sort(),
      ).toEqual([cli, dropped, kept].sort());
      const named = lines.filter((l) =>
        l.msg.includes('outside assistant.sources and assistant.ingest.roots'),
      );
      expect(named.map((l) => l.root).sort()).toEqual([cli, dropped].sort());
      expect(named.every((l) => typeof l.source === 'string')).toBe(true);
    } finally {
      await second.close();
    }
  });
});
