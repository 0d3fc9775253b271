import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import { redactChecks } from '../../util/redact.js';

export function registerDoctor(program: Command, cli: CliContext): void {
  program
    .command('doctor')
    .description('check the configuration and every configured source, and say what is wrong')
    .action(async () => {
      const output = cli.output;
      // With --server the running engine reports its own sources; otherwise the config here is loaded and checked.
      const profile = cli.remote() ? undefined : (await cli.loadConfig()).profile;
      const checks = redactChecks(await cli.withBackend((backend) => backend.readiness()));
      const ok = checks.every((c) => c.ok);
      output.result({ ok, ...(profile ? { profile } : {}), checks }, () =>
        [
          profile ? `configuration: ok (profile ${profile})` : 'the running engine reports:',
          ...checks.map(
            (c) =>
              `${c.ok ? '✓' : '✗'} ${c.name.padEnd(22)} ${c.detail}${c.latencyMs !== undefined ? ` (${Math.round(c.latencyMs)} ms)` : ''}`,
          ),
          ok ? 'all sources ready' : 'some sources are not ready: see above',
        ].join('\n'),
      );
      if (!ok) process.exitCode = 1;
    });
}
