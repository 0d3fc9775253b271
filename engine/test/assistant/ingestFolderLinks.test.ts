import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assistantConfigSchema } from '../../src/assistant/config.js';
import { LsaEmbedder } from '../../src/assistant/embedders/LsaEmbedder.js';
import { KnowledgeBase } from '../../src/assistant/kb/KnowledgeBase.js';

/**
 * A symbolic link to a folder outside the ingest root is listed in the ingest's errors (path and reason), as a link
 * to a file outside is; it was skipped silently (found walking the README).
 */
const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa', dimensions: 16 } });
const top = mkdtempSync(join(tmpdir(), 'kb-folder-links-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('ingest of a folder with links', () => {
  it('lists a link to a folder outside the root beside a link to a file outside; reads nothing through either', async () => {
    const root = join(top, 'docs');
    const outside = join(top, 'outside');
    const CANARY = `canary-${process.pid}-outside`;
    mkdirSync(join(root, 'guide', 'inner'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.md'), `# Secret\n\n${CANARY}\n`);
    writeFileSync(join(outside, 'logo.png'), 'png');
    writeFileSync(join(root, 'guide', 'page.md'), '# Page\n\nThe guide page about pods.\n');
    writeFileSync(join(root, 'guide', 'inner', 'deep.md'), '# Deep\n\nA deeper page about nodes.\n');
    symlinkSync(outside, join(root, 'guide', 'outside-dir'));
    symlinkSync(join(outside, 'secret.md'), join(root, 'guide', 'secret.md'));
    // Not errors: a link to a folder inside (what it leads to is read anyway), a link to a non-document outside.
    symlinkSync(join(root, 'guide', 'inner'), join(root, 'inner-alias'));
    symlinkSync(join(outside, 'logo.png'), join(root, 'guide', 'logo.png'));

    const kb = new KnowledgeBase({
      config,
      embedder: new LsaEmbedder(config.embedder.kind === 'lsa' ? config.embedder : (undefined as never)),
    });
    const report = await kb.ingest({ path: root });
    expect(report.errors).toEqual([
      { path: 'guide/outside-dir', message: 'symbolic link leads outside the ingest root; not read' },
      { path: 'guide/secret.md', message: 'symbolic link leads outside the ingest root; not read' },
    ]);
    expect(report.added).toBe(2);
    expect([...new Set(kb.allChunks().map((c) => c.path))].sort()).toEqual([
      'guide/inner/deep.md',
      'guide/page.md',
    ]);
    expect(
      kb
        .allChunks()
        .map((c) => c.text)
        .join('\n'),
    ).not.toContain(CANARY);
  });
});
