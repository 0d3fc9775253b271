import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkingConfigSchema, ingestConfigSchema } from '../config.js';
import { IngestRoots } from './IngestRoots.js';
import { defaultSourceName, readSourceFolder } from './readSourceFolder.js';

/**
 * Nothing outside the ingested folder is read: hostile includes, links and host paths are refused with a per-file
 * error, and their content (canary strings planted outside the folder, the process environment, /etc/passwd) never
 * reaches a chunk.
 */
describe('readSourceFolder stays inside its folder', () => {
  const top = mkdtempSync(join(tmpdir(), 'kb-roots-'));
  const root = join(top, 'site');
  const outside = join(top, 'outside');
  const CANARY = `canary-${process.pid}-outside-the-root`;
  const ENV_CANARY = `env-canary-${process.pid}-secret`;
  const ingest = ingestConfigSchema.parse({ maxFileBytes: 4000 });
  const chunking = chunkingConfigSchema.parse(undefined);

  beforeAll(() => {
    process.env.KB_ROOTS_TEST_SECRET = ENV_CANARY;
    mkdirSync(join(root, 'content', 'docs'), { recursive: true });
    mkdirSync(join(root, 'content', 'examples', 'pods'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.yaml'), `password: ${CANARY}\n`);
    writeFileSync(join(outside, 'secret.md'), `# Secret\n\n${CANARY}\n`);
    writeFileSync(
      join(root, 'content', 'examples', 'pods', 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: legit-example\n',
    );
    writeFileSync(join(root, 'content', 'examples', 'blob.yaml'), Buffer.from([0x61, 0x00, 0x62]));
    writeFileSync(join(root, 'content', 'examples', 'big.yaml'), 'x'.repeat(5000));
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'content', 'examples', 'linked.yaml'));
    const escape = relative(join(root, 'content', 'docs'), outside)
      .split('\\')
      .join('/');
    writeFileSync(
      join(root, 'content', 'docs', 'page.md'),
      [
        '# Page',
        'Legit: {{< codenew file="pods/pod.yaml" >}}',
        'Environ: {{< codenew file="../../../../../../../../proc/self/environ" >}}',
        'Passwd: {{% code_sample file="/etc/passwd" %}}',
        'Traversal: {{< codenew file="../../../../../../../../etc/passwd" >}}',
        `Sibling: {{< include file="${escape}/secret.yaml" >}}`,
        'Linked: {{< codenew file="linked.yaml" >}}',
        'Binary: {{< codenew file="blob.yaml" >}}',
        'Big: {{< codenew file="big.yaml" >}}',
      ].join('\n\n'),
    );
    symlinkSync(join(outside, 'secret.md'), join(root, 'content', 'docs', 'escape.md'));
    symlinkSync(outside, join(root, 'content', 'docs', 'folder-link.md'));
    writeFileSync(
      join(root, 'content', 'docs', 'binary.md'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
    );
    writeFileSync(join(root, 'content', 'docs', 'latin1.md'), Buffer.from('caf\xe9 au lait', 'latin1'));
    writeFileSync(join(root, 'content', 'docs', 'huge.md'), `# Huge\n\n${'word '.repeat(1000)}`);
  });
  afterAll(() => {
    delete process.env.KB_ROOTS_TEST_SECRET;
    rmSync(top, { recursive: true, force: true });
  });

  const read = () => readSourceFolder({ path: root }, ingest, chunking, new Map(), IngestRoots.of([root]));

  it('reads no byte from outside the folder', () => {
    const result = read();
    const text = result.files.flatMap((f) => f.chunks.map((c) => c.text)).join('\n');
    expect(text).toContain('legit-example');
    for (const leaked of [CANARY, ENV_CANARY, 'root:x:0:0', 'PATH=']) expect(text).not.toContain(leaked);
    expect(result.files.map((f) => f.path)).toEqual(['content/docs/page.md']);
  });

  it('reports every refusal as a per-file error', () => {
    const errors = read().errors.map((e) => `${e.path}: ${e.message}`);
    const expected = [
      /^content\/docs\/binary\.md: binary file/,
      /^content\/docs\/escape\.md: symbolic link leads outside the ingest root/,
      /^content\/docs\/folder-link\.md: symbolic link leads outside the ingest root/,
      /^content\/docs\/huge\.md: file is \d+ bytes, over the 4000-byte limit/,
      /^content\/docs\/latin1\.md: not valid UTF-8 text/,
      /^content\/docs\/page\.md: include "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/proc\/self\/environ" refused: outside the ingest root/,
      /^content\/docs\/page\.md: include "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" refused: outside the ingest root/,
      /^content\/docs\/page\.md: include "(\.\.\/)+outside\/secret\.yaml" refused: outside the ingest root/,
      /^content\/docs\/page\.md: include "linked\.yaml" refused: leads outside the ingest root through a symbolic link/,
      /^content\/docs\/page\.md: include "blob\.yaml" refused: binary file/,
      /^content\/docs\/page\.md: include "big\.yaml" refused: file is 5000 bytes, over the 4000-byte limit/,
    ];
    for (const pattern of expected)
      expect(
        errors.some((e) => pattern.test(e)),
        pattern.source,
      ).toBe(true);
    expect(errors).toHaveLength(expected.length);
  });

  it('refuses the folder itself when it lies outside the allowed roots, also through a link', () => {
    const roots = IngestRoots.of([join(root, 'content')]);
    expect(() => readSourceFolder({ path: outside }, ingest, chunking, new Map(), roots)).toThrow(
      /outside the folders the engine may read/,
    );
    symlinkSync(outside, join(root, 'content', 'door'));
    try {
      expect(() =>
        readSourceFolder({ path: join(root, 'content', 'door') }, ingest, chunking, new Map(), roots),
      ).toThrow(/outside the folders the engine may read/);
    } finally {
      rmSync(join(root, 'content', 'door'));
    }
  });
});

describe('a folder named through a link inside the roots', () => {
  const top = mkdtempSync(join(tmpdir(), 'kb-alias-'));
  afterAll(() => rmSync(top, { recursive: true, force: true }));

  it('is read through the real path the roots approved', () => {
    mkdirSync(join(top, 'real'));
    writeFileSync(join(top, 'real', 'a.md'), '# A\n\nalias-content\n');
    symlinkSync(join(top, 'real'), join(top, 'alias'));
    const result = readSourceFolder(
      { path: join(top, 'alias') },
      ingestConfigSchema.parse(undefined),
      chunkingConfigSchema.parse(undefined),
      new Map(),
      IngestRoots.of([top]),
    );
    expect(result.errors).toEqual([]);
    // Named by the folder as given (its last segment and a hash of its path), never by the path itself.
    expect(result.source).toMatch(/^alias-[0-9a-f]{8}$/);
    expect(result.source).toBe(defaultSourceName(join(top, 'alias')));
    expect(result.files.flatMap((f) => f.chunks.map((c) => c.text)).join()).toContain('alias-content');
  });
});

describe('IngestRoots.check', () => {
  const top = mkdtempSync(join(tmpdir(), 'kb-check-'));
  afterAll(() => rmSync(top, { recursive: true, force: true }));

  it('answers the same for an outside path whether or not it exists, and names the field', () => {
    const roots = IngestRoots.of([top]);
    const refusal = (path: string) => {
      try {
        roots.check(path, 'body.paths.0');
      } catch (error) {
        return {
          message: (error as Error).message.replace(path, 'P'),
          issues: (error as { issues: unknown }).issues,
        };
      }
      return undefined;
    };
    expect(refusal('/etc')).toEqual(refusal('/no/such/host/dir'));
    expect(refusal('/etc')!.issues).toEqual([
      { field: 'body.paths.0', message: 'outside the folders the engine may read (assistant.ingest.roots)' },
    ]);
    expect(refusal(`${top}/../${top.split('/').pop()}-sibling`)).toBeDefined();
    expect(refusal(join(top, 'missing'))!.message).toMatch(/does not exist/);
    mkdirSync(join(top, 'ok'));
    expect(roots.check(join(top, 'ok'), 'f')).toMatch(/ok$/);
  });
});

describe('readSourceFolder on one file', () => {
  const top = mkdtempSync(join(tmpdir(), 'kb-one-file-'));
  afterAll(() => rmSync(top, { recursive: true, force: true }));
  const ingest = ingestConfigSchema.parse(undefined);
  const chunking = chunkingConfigSchema.parse(undefined);

  it('a file of a type it does not read is an error, not an ingest of nothing', () => {
    writeFileSync(join(top, 'hostname'), 'vm\n');
    const result = readSourceFolder({ path: join(top, 'hostname') }, ingest, chunking);
    expect(result.files).toEqual([]);
    expect(result.errors).toEqual([
      { path: 'hostname', message: expect.stringMatching(/^not ingested: only .*\.md/) },
    ]);
  });

  it('a file of a type it reads is ingested', () => {
    writeFileSync(join(top, 'page.md'), '# Page\n\nAbout pods.\n');
    const result = readSourceFolder({ path: join(top, 'page.md') }, ingest, chunking);
    expect(result.files.map((f) => f.path)).toEqual(['page.md']);
    expect(result.errors).toEqual([]);
  });
});
