import type { Command } from 'commander';
import type { Answer, AskEvent } from '../../assistant/schemas.js';
import type { CliContext } from '../CliContext.js';
import { printable, printableBlock } from '../../util/printable.js';
import type { RequestTerms } from '../output.js';

/** The request fields ask fills from its command line, so an engine refusal names `<question>`, not `body.question`. */
const REQUEST_TERMS: RequestTerms = {
  'body.question': '<question>',
  'body.workload': '--workload',
  'body.namespace': '--namespace',
  'body.conversationId': '--conversation',
};

interface AskOptions {
  workload?: string;
  namespace?: string;
  conversation?: string;
}

export function registerAsk(program: Command, cli: CliContext): void {
  program
    .command('ask')
    .description('ask the ops assistant; the answer streams, with numbered sources and what it looked at')
    .argument('<question>', 'the question, in quotes')
    .option(
      '-w, --workload <name>',
      'a workload the question is about (lets the assistant read its pods, events, logs, metrics)',
    )
    .option('-n, --namespace <namespace>', 'namespace of the workload')
    .option('--conversation <id>', 'continue a conversation')
    .action(async (question: string, options: AskOptions) => {
      const output = cli.output;
      const request = {
        question,
        ...(options.workload ? { workload: options.workload } : {}),
        ...(options.namespace ? { namespace: options.namespace } : {}),
        ...(options.conversation ? { conversationId: options.conversation } : {}),
      };
      // Tokens are written as they arrive, from this process's engine or from a running one's event stream.
      const show = (event: AskEvent): Answer | undefined => {
        if (event.type === 'done') return event.answer;
        if (output.json) return undefined;
        // Model tokens can quote pod logs and ingested pages: control characters are escaped like every CLI output.
        if (event.type === 'token') process.stdout.write(printableBlock(event.text));
        else if (event.type === 'tool')
          process.stderr.write(`[looked at] ${printable(event.call.summary)}\n`);
        return undefined;
      };
      let answer: Answer | undefined;
      try {
        // With --server the answer streams from the running engine over server-sent events.
        answer = await cli.withBackend(async (backend) => {
          let final: Answer | undefined;
          for await (const event of backend.ask(request)) final = show(event) ?? final;
          return final;
        });
      } catch (error) {
        process.exitCode = output.error(error, REQUEST_TERMS);
        return;
      }
      if (!answer) {
        process.exitCode = output.error(new Error('the answer stream ended without its final event'));
        return;
      }
      if (output.json) {
        output.result(answer, () => '');
        return;
      }
      const sources = answer.citations.map((c) =>
        printable(`[${c.n}] ${c.title}${c.section ? ` > ${c.section}` : ''} (${c.url ?? c.path})`),
      );
      const credits = [
        ...new Set(answer.citations.flatMap((c) => (c.attribution ? [printable(c.attribution)] : []))),
      ];
      if (credits.length) sources.push(...credits.map((c) => `    ${c}`));
      process.stdout.write(
        `\n${sources.length ? `\nSources:\n${sources.join('\n')}\n` : ''}\n(${answer.mode} answer, conversation ${answer.conversationId})\n`,
      );
    });
}
