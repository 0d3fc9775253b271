import type { Command } from 'commander';
import type { Answer } from '../../assistant/schemas.js';
import type { CliContext } from '../CliContext.js';

export function registerAsk(program: Command, cli: CliContext): void {
  program
    .command('ask')
    .description('ask the ops assistant; the answer streams, with numbered sources and what it looked at')
    .argument('<question>', 'the question, in quotes')
    .option('-w, --workload <name>', 'a workload the question is about (lets the assistant read its pods, events, logs, metrics)')
    .option('-n, --namespace <namespace>', 'namespace of the workload')
    .option('--conversation <id>', 'continue a conversation')
    .action(async (question: string, options: { workload?: string; namespace?: string; conversation?: string }) => {
      const output = cli.output;
      const answer = await cli.withEngine(async (engine) => {
        const assistant = await engine.services.assistant();
        let final: Answer | undefined;
        for await (const event of assistant.ask({
          question,
          ...(options.workload ? { workload: options.workload } : {}),
          ...(options.namespace ? { namespace: options.namespace } : {}),
          ...(options.conversation ? { conversationId: options.conversation } : {}),
        })) {
          if (output.json) {
            if (event.type === 'done') final = event.answer;
            continue;
          }
          if (event.type === 'token') process.stdout.write(event.text);
          else if (event.type === 'tool') process.stderr.write(`[looked at] ${event.call.summary}\n`);
          else if (event.type === 'done') final = event.answer;
        }
        return final!;
      });
      if (output.json) {
        output.result(answer, () => '');
        return;
      }
      const sources = answer.citations.map(
        (c) => `[${c.n}] ${c.title}${c.section ? ` > ${c.section}` : ''} (${c.url ?? c.path})`,
      );
      const credits = [...new Set(answer.citations.flatMap((c) => (c.attribution ? [c.attribution] : [])))];
      if (credits.length) sources.push(...credits.map((c) => `    ${c}`));
      process.stdout.write(
        `\n${sources.length ? `\nSources:\n${sources.join('\n')}\n` : ''}\n(${answer.mode} answer, conversation ${answer.conversationId})\n`,
      );
    });
}
