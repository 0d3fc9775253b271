import { execFile, execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const STRACE = '/usr/bin/strace';
// strace needs ptrace, which some container runtimes forbid; the count is only meaningful where it can trace.
const canTrace = (() => {
  try {
    execFileSync(STRACE, ['-qq', '-e', 'trace=none', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const engineDir = resolve(import.meta.dirname, '..', '..');

/**
 * The target "0 file reads outside the allowed roots", counted by the kernel: a hostile folder is ingested under
 * strace and every open, stat, access and readlink the process makes between two markers is listed. Calls on paths
 * outside the folder must be none; calls inside it must be many (so the count is real).
 */
describe.skipIf(!canTrace)('ingest opens no file outside its folder (strace)', () => {
  const top = realpathSync(mkdtempSync(join(tmpdir(), 'ingest-strace-')));
  const root = join(top, 'site');
  const outside = join(top, 'outside');
  afterAll(() => rmSync(top, { recursive: true, force: true }));

  it('counts 0 opens outside the folder while reading hostile pages', async () => {
    mkdirSync(join(root, 'docs', 'deep', 'er'), { recursive: true });
    mkdirSync(join(root, 'examples'));
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.md'), '# secret\n');
    writeFileSync(join(outside, 'secret.yaml'), 'secret: yes\n');
    writeFileSync(join(root, 'examples', 'pod.yaml'), 'kind: Pod\n');
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'examples', 'linked.yaml'));
    symlinkSync(join(outside, 'secret.md'), join(root, 'docs', 'linked.md'));
    const page = [
      '# Page',
      '{{< codenew file="pod.yaml" >}}',
      '{{< codenew file="../../../../../../../../../proc/self/environ" >}}',
      '{{% code_sample file="/etc/passwd" %}}',
      '{{< codenew file="../../../../../../../../../etc/passwd" >}}',
      '{{< include file="../../../../outside/secret.yaml" >}}',
      '{{< codenew file="linked.yaml" >}}',
    ].join('\n\n');
    writeFileSync(join(root, 'docs', 'deep', 'er', 'page.md'), page);
    writeFileSync(join(root, 'docs', 'top.md'), page);

    const script = `
      import { statSync } from 'node:fs';
      const { readSourceFolder } = await import(${JSON.stringify(join(engineDir, 'src/assistant/kb/readSourceFolder.ts'))});
      const { IngestRoots } = await import(${JSON.stringify(join(engineDir, 'src/assistant/kb/IngestRoots.ts'))});
      const { ingestConfigSchema, chunkingConfigSchema } = await import(${JSON.stringify(join(engineDir, 'src/assistant/config.ts'))});
      const ingest = ingestConfigSchema.parse(undefined), chunking = chunkingConfigSchema.parse(undefined);
      const roots = IngestRoots.of([${JSON.stringify(root)}]);
      try { statSync('/__ingest_start__'); } catch {}
      const result = readSourceFolder({ path: ${JSON.stringify(root)} }, ingest, chunking, new Map(), roots);
      try { statSync('/__ingest_end__'); } catch {}
      process.stdout.write(JSON.stringify({ files: result.files.length, errors: result.errors.length }));
    `;
    const trace = join(top, 'trace.txt');
    const stdout = await new Promise<string>((done, fail) =>
      execFile(
        STRACE,
        [
          '-f',
          '-qq',
          '-e',
          'trace=open,openat,openat2,statx,newfstatat,stat,lstat,access,faccessat,faccessat2,readlink,readlinkat',
          '-o',
          trace,
          process.execPath,
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          script,
        ],
        { cwd: engineDir, timeout: 60_000 },
        (error, out, err) => (error ? fail(new Error(`${error.message}\n${err}`)) : done(out)),
      ),
    );
    expect(JSON.parse(stdout)).toEqual({ files: 2, errors: 9 });

    const lines = readFileSync(trace, 'utf8').split('\n');
    const start = lines.findIndex((l) => l.includes('/__ingest_start__'));
    const end = lines.findIndex((l) => l.includes('/__ingest_end__'));
    expect(start).toBeGreaterThan(0);
    const during = lines.slice(start + 1, end);
    const paths = (kind: RegExp) =>
      during
        .filter((l) => kind.test(l) && !/= -1 ENOENT/.test(l))
        .flatMap((l) => /"([^"]*)"/.exec(l)?.slice(1) ?? []);
    const inside = (p: string) => p === root || p.startsWith(`${root}/`);
    const opened = paths(/\bopen(at2?)?\(/).filter((p) => p.startsWith('/'));
    expect(opened.filter(inside).length).toBeGreaterThanOrEqual(3);
    expect(opened.filter((p) => !inside(p))).toEqual([]);
    // No system call acts on anything outside: traversal targets and link targets are refused before any lookup.
    const actedOn = during.flatMap(
      (l) => /^\d+\s+\w+\((?:AT_FDCWD, |\d+, )?"([^"]*)"/.exec(l)?.slice(1) ?? [],
    );
    expect(actedOn.filter(inside).length).toBeGreaterThan(opened.length);
    // The root's own ancestors are looked up once, to resolve the root itself (realpath).
    const ancestor = (p: string) => root.startsWith(`${p}/`);
    expect(actedOn.filter((p) => p.startsWith('/') && !inside(p) && !ancestor(p))).toEqual([]);
  }, 90_000);
});
