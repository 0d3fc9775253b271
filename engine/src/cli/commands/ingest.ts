import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { IngestReport } from '../../assistant/kb/KnowledgeBase.js';
import type { CliContext } from '../CliContext.js';
import { EngineError } from '../../errors.js';
import { invocationDir } from '../invocationDir.js';
import { plural } from '../../util/plural.js';
import type { RequestTerms } from '../output.js';

export { invocationDir };

const KUBERNETES_DOCS_URL = 'https://kubernetes.io';
const KUBERNETES_DOCS_ATTRIBUTION =
  'Kubernetes Documentation, © The Kubernetes Authors, CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), https://kubernetes.io';

/** The kubernetes/website layout is recognised so its pages link to and credit kubernetes.io. */
function isKubernetesDocs(path: string): boolean {
  return existsSync(join(path, 'content', 'en', 'docs', 'concepts', 'overview', 'kubernetes-api.md'));
}

/** Citation links are the base URL + each page's path: `--base-url notaurl` made every link `notaurl/...`, silently. */
function checkBaseUrl(value: string): void {
  if (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)) return;
  throw new EngineError(
    'INVALID_INPUT',
    `--base-url must be an http(s) URL such as https://kubernetes.io, got "${value}"`,
    {
      issues: [{ field: 'base-url', message: 'must be an http(s) URL' }],
    },
  );
}

/**
 * The ingest body's fields in the terms of the command line: a running engine refused a folder outside its roots
 * naming `body.paths.0`. Each folder goes in a request of its own (`paths: [path]`), so its index is always 0.
 */
function ingestTerms(exclude: readonly string[] = []): RequestTerms {
  return {
    'body.paths.0': '<paths...>',
    'body.baseUrl': '--base-url',
    'body.attribution': '--attribution',
    'body.exclude': '--exclude',
    ...Object.fromEntries(exclude.map((_, i) => [`body.exclude.${i}`, '--exclude'] as const)),
  };
}

export function registerIngest(program: Command, cli: CliContext): void {
  program
    .command('ingest')
    .description(
      "add folders of Markdown, HTML or text (or a git checkout's docs/) to the assistant's knowledge base",
    )
    .argument('<paths...>', 'folders to ingest; re-ingesting is incremental and drops removed files')
    .option(
      '--base-url <url>',
      'public URL prefix of the pages, for citation links (e.g. https://kubernetes.io)',
    )
    .option('--exclude <glob...>', 'leave out files matching these globs (relative to the folder)')
    .option('--attribution <text>', 'credit shown with citations from these pages (licence terms)')
    .action(
      async (given: string[], options: { baseUrl?: string; exclude?: string[]; attribution?: string }) => {
        const output = cli.output;
        try {
          await ingest(cli, given, options);
        } catch (error) {
          process.exitCode = output.error(error, ingestTerms(options.exclude));
        }
      },
    );
}

/** Ingests each folder on the chosen engine and prints a report line per folder. */
async function ingest(
  cli: CliContext,
  given: string[],
  options: { baseUrl?: string; exclude?: string[]; attribution?: string },
): Promise<void> {
  const output = cli.output;
  if (options.baseUrl !== undefined) checkBaseUrl(options.baseUrl);
  // The CLI acts as the host user: the folders named are read (and nothing outside them), whatever
  // assistant.ingest.roots says; that allow-list binds the server, which reads on other people's behalf.
  const paths = given.map((p) => resolve(invocationDir(), p));
  const reports = await cli.withBackend(async (backend) => {
    const out: IngestReport[] = [];
    for (const path of paths) {
      const k8s = isKubernetesDocs(path);
      const baseUrl = options.baseUrl ?? (k8s ? KUBERNETES_DOCS_URL : undefined);
      const attribution = options.attribution ?? (k8s ? KUBERNETES_DOCS_ATTRIBUTION : undefined);
      const source = {
        path,
        ...(baseUrl ? { baseUrl } : {}),
        ...(attribution ? { attribution } : {}),
        ...(options.exclude ? { exclude: options.exclude } : {}),
      };
      out.push(await output.withProgress(`ingest ${path}`, (progress) => backend.ingest(source, progress)));
    }
    return out;
  });
  output.result({ reports }, () =>
    reports
      .map((r) =>
        [
          `${r.root}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.removed} removed; ` +
            `${plural(r.chunks, 'chunk')} (${r.totalChunks} in the knowledge base) in ${r.seconds.toFixed(1)} s`,
          ...r.errors.map((e) => `  ✗ ${e.path}: ${e.message}`),
        ].join('\n'),
      )
      .join('\n'),
  );
  if (reports.some((r) => r.errors.length > 0)) process.exitCode = 1;
}
