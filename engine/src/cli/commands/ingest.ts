import type { Command } from 'commander';
import { AssistantService } from '../../assistant/AssistantService.js';
import type { IngestReport } from '../../assistant/kb/KnowledgeBase.js';
import { createModelProvider } from '../../model/createModelProvider.js';
import type { CliContext } from '../CliContext.js';

const KUBERNETES_DOCS_URL = 'https://kubernetes.io';

export function registerIngest(program: Command, cli: CliContext): void {
  program
    .command('ingest')
    .description('add folders of Markdown, HTML or text (or a git checkout\'s docs/) to the assistant\'s knowledge base')
    .argument('<paths...>', 'folders to ingest; re-ingesting is incremental and drops removed files')
    .option('--base-url <url>', 'public URL prefix of the pages, for citation links (e.g. https://kubernetes.io)')
    .option('--exclude <glob...>', 'leave out files matching these globs (relative to the folder)')
    .action(async (paths: string[], options: { baseUrl?: string; exclude?: string[] }) => {
      const output = cli.output;
      const reports = await cli.withEngine(async (engine) => {
        const model = createModelProvider(engine.config.model);
        const assistant = await AssistantService.create(engine.context, model ? { model } : {});
        await assistant.init();
        const out: IngestReport[] = [];
        for (const path of paths) {
          // The Kubernetes docs layout (content/<lang>/docs) gets kubernetes.io links without asking.
          const baseUrl = options.baseUrl ?? (/k8s_docs|kubernetes|website/i.test(path) ? KUBERNETES_DOCS_URL : undefined);
          const bar = output.progress(`ingest ${path}`);
          try {
            out.push(
              await assistant.kb.ingest(
                { path, ...(baseUrl ? { baseUrl } : {}), ...(options.exclude ? { exclude: options.exclude } : {}) },
                (fraction, message) => bar.update(fraction, message),
              ),
            );
          } finally {
            bar.stop();
          }
        }
        return out;
      });
      output.result({ reports }, () =>
        reports
          .map((r) =>
            [
              `${r.root}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.removed} removed; ` +
                `${r.chunks} chunks (${r.totalChunks} in the knowledge base) in ${r.seconds.toFixed(1)} s`,
              ...r.errors.map((e) => `  ✗ ${e.path}: ${e.message}`),
            ].join('\n'),
          )
          .join('\n'),
      );
      if (reports.some((r) => r.errors.length > 0)) process.exitCode = 1;
    });
}
