import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import type { RequestTerms } from '../output.js';
import { plural } from '../../util/plural.js';

/** The request fields `kb remove` fills, so a refusal names `<name>`, not the route's `params.name`. */
const REMOVE_TERMS: RequestTerms = { 'params.name': '<name>' };

/**
 * `aicloudops kb ...`: managing the assistant's knowledge base beyond `ingest`. Sources outlive the ingest roots
 * (ADR 6), so removing one is its own step; before, the only way was to delete the whole knowledge base.
 */
export function registerKb(program: Command, cli: CliContext): void {
  const kb = program.command('kb').description("manage the assistant's knowledge base (see also `ingest`)");
  kb.command('remove')
    .description(
      'remove one source (a name listed by GET /api/v1/assistant/status) from the knowledge base; sources the ' +
        'config ingests at start (runbooks, assistant.sources) are refused: edit the config',
    )
    .argument('<name>', "the source's name, e.g. k8s_docs-1a2b3c4d")
    .action(async (name: string) => {
      const output = cli.output;
      try {
        // With --server the running engine removes it (admin token); else a one-shot engine on this config's store.
        const removed = await cli.withBackend((backend) => backend.removeSource(name));
        output.result(
          removed,
          () =>
            `removed ${removed.name} (${removed.root}): ${plural(removed.files, 'file')}, ` +
            `${plural(removed.chunks, 'chunk')}; ${removed.totalChunks} left in the knowledge base`,
        );
      } catch (error) {
        process.exitCode = output.error(error, REMOVE_TERMS);
      }
    });
}
