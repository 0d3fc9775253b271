import { Option, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import type { CliContext } from '../CliContext.js';
import { inFileTerms, type RequestTerms } from '../output.js';
import { EngineError } from '../../errors.js';
import { oneOf, positiveInt } from '../flags.js';
import { printable } from '../../util/printable.js';
import type { AlertDto, AlertStats, IncidentDto } from '../../alerts/schemas.js';

/**
 * `aicloudops alerts` and `aicloudops incidents`: the alerting state from the configured store (with Redis, what
 * the running engines share), an Alertmanager-format file sent through the same ingest path, ack and resolve.
 */

/*
 * Changes go to a running engine (`--server`, default $AICLOUDOPS_URL): the engine that groups alerts must see
 * them, and a one-shot CLI engine would only write them to the store behind its back.
 */

/** Every string here came from the engine (labels, annotations, reasons): printed escaped, one line per field. */
function renderAlert(a: AlertDto): string {
  const subject = printable(a.labels.service ?? a.labels.pod ?? a.labels.node ?? '-');
  const muted = a.muted ? ` muted(${printable(a.muted.kind)})` : '';
  return `${printable(a.fingerprint)}  ${a.status.padEnd(8)} ${printable(a.labels.alertname ?? '?').padEnd(24)} ${subject.padEnd(20)} ${printable(a.labels.severity ?? '-')}${muted}${a.incidentId ? `  ${printable(a.incidentId)}` : ''}`;
}

function renderIncident(i: IncidentDto, withAlerts: boolean): string {
  const head = `${printable(i.id)}  ${i.status.padEnd(8)} [${printable(i.severity)}] ${printable(i.title)}  alerts=${i.alerts.length} services=${printable(i.services.join(',')) || '-'}${i.notifiedAt ? ` paged ${printable(i.notifiedAt)}` : i.heldBecause ? ` held: ${printable(i.heldBecause)}` : ''}${rca(i)}${i.acknowledgedBy ? ` ack by ${printable(i.acknowledgedBy)}` : ''}`;
  if (!withAlerts) return head;
  return [
    head,
    ...i.alerts.map(
      (a) =>
        `   ${renderAlert(a)}\n      joined: ${printable(a.reason.kind)} — ${printable(a.reason.detail)}`,
    ),
  ].join('\n');
}

/**
 * The incident's RCA: its id, or why automatic RCA was not started (`rca=skipped (node sim-node-2 is not a service, …)`;
 * the engine's reason without its "no automatic RCA:" lead, which `rca=skipped` already says).
 */
function rca(i: IncidentDto): string {
  if (i.rcaId) return ` rca=${printable(i.rcaId)}`;
  if (i.rcaSkipped) return ` rca=skipped (${printable(i.rcaSkipped.replace(/^no automatic RCA:\s*/, ''))})`;
  return '';
}

function renderStats(s: AlertStats): string {
  return [
    `deliveries ${s.deliveries}, alerts ${s.alerts} (duplicates ${s.duplicates}, stale ${s.stale}), incidents ${s.incidents}, notifications ${s.notifications}`,
    `compression ${s.compression.toFixed(3)} (1 − notifications / deliveries), dedup ratio ${s.dedupRatio.toFixed(3)}, mean added delay ${s.meanNotificationDelaySeconds.toFixed(1)} s`,
  ].join('\n');
}

/** The list queries' fields, so a refusal names the flag (`--limit`), not `querystring.limit`. */
const LIST_TERMS: RequestTerms = { 'querystring.status': '--status', 'querystring.limit': '--limit' };

/** The options of the alert and incident lists, which --stats, --send, --show, --ack and --resolve do not print. */
const LIST_FLAGS = ['status', 'limit'];

export function registerAlerts(program: Command, cli: CliContext): void {
  program
    .command('alerts')
    .description(
      'alerts the engine received, the compression figures, or send an Alertmanager webhook file through ingest',
    )
    .option(
      '--status <status>',
      'firing, resolved or all',
      oneOf('status', ['firing', 'resolved', 'all']),
      'all',
    )
    .option('--limit <n>', 'alerts to print', positiveInt('limit'), 50)
    // Given both, --send used to win and --stats was dropped without a word; so were --status and --limit beside
    // either (`--stats --status firing` printed the figures of every alert).
    .addOption(
      new Option('--stats', 'print compression, dedup ratio and added notification delay instead').conflicts([
        'send',
        ...LIST_FLAGS,
      ]),
    )
    .addOption(
      new Option(
        '--send <file>',
        'send an Alertmanager webhook v4 JSON file to the engine at --server',
      ).conflicts(LIST_FLAGS),
    )
    .action(
      async (options: {
        status: 'firing' | 'resolved' | 'all';
        limit: number;
        stats?: boolean;
        send?: string;
      }) => {
        const output = cli.output;
        try {
          if (options.send) {
            const client = cli.requireRemote('--send');
            const file = options.send;
            const result = await client
              .sendAlertmanagerWebhook((await readWebhookFile(file)) as never)
              .catch((error: unknown) => {
                throw inFileTerms(error, 'webhook file', file);
              });
            output.result(
              result,
              () =>
                `received ${result.received}, accepted ${result.accepted}, duplicates ${result.duplicates}; incidents: ${printable(result.incidents.join(', ')) || '-'}`,
            );
            return;
          }
          await cli.withBackend(async (backend) => {
            if (options.stats) {
              const stats = await backend.alertStats();
              output.result(stats, () => renderStats(stats));
              return;
            }
            const items = await backend.alerts({
              status: options.status,
              limit: options.limit,
            });
            output.result({ items }, () =>
              items.length === 0 ? 'no alerts' : items.map(renderAlert).join('\n'),
            );
          });
        } catch (error) {
          process.exitCode = output.error(error, LIST_TERMS);
        }
      },
    );

  program
    .command('incidents')
    .description('incidents with their alerts and why each joined; --ack / --resolve change one')
    .option('--status <status>', 'open, resolved or all', oneOf('status', ['open', 'resolved', 'all']), 'all')
    .option('--limit <n>', 'incidents to print', positiveInt('limit'), 20)
    // One incident action per run: --ack A --resolve B used to acknowledge A and drop the rest.
    // --status and --limit filter the list, which none of these prints: they were dropped without a word.
    .addOption(
      new Option('--show <id>', 'one incident with every alert and merge reason').conflicts([
        'ack',
        'resolve',
        ...LIST_FLAGS,
      ]),
    )
    .addOption(
      new Option('--ack <id>', 'acknowledge an incident (on the engine at --server)').conflicts([
        'resolve',
        ...LIST_FLAGS,
      ]),
    )
    .addOption(
      new Option('--resolve <id>', 'resolve an incident (on the engine at --server)').conflicts(LIST_FLAGS),
    )
    .action(
      async (options: {
        status: 'open' | 'resolved' | 'all';
        limit: number;
        show?: string;
        ack?: string;
        resolve?: string;
      }) => {
        const output = cli.output;
        try {
          if (options.ack || options.resolve) {
            const client = cli.requireRemote(options.ack ? '--ack' : '--resolve');
            const changed = options.ack
              ? await client.acknowledgeIncident(options.ack)
              : await client.resolveIncident(options.resolve!);
            output.result(changed, () => renderIncident(changed, true));
            return;
          }
          await cli.withBackend(async (backend) => {
            const one = options.show ? await backend.incident(options.show) : undefined;
            if (one) {
              output.result(one, () => renderIncident(one, true));
              return;
            }
            const items = await backend.incidents({
              status: options.status,
              limit: options.limit,
            });
            output.result({ items }, () =>
              items.length === 0 ? 'no incidents' : items.map((i) => renderIncident(i, false)).join('\n'),
            );
          });
        } catch (error) {
          process.exitCode = output.error(error, LIST_TERMS);
        }
      },
    );
}

/** The `--send` file as JSON; a file that cannot be read or parsed is named, not reported as a bare `ENOENT`. */
async function readWebhookFile(path: string): Promise<unknown> {
  const refuse = (why: string) =>
    new EngineError('INVALID_INPUT', `--send: ${why}`, { issues: [{ field: 'send', message: why }] });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw refuse(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw refuse(`${path} is not JSON (${(error as Error).message.replace(/\s+/g, ' ')})`);
  }
}
