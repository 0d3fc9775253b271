import { Option, type Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import type { RcaResult } from '../../rca/schemas.js';
import { EngineError } from '../../errors.js';
import { positiveInt } from '../flags.js';
import type { RequestTerms } from '../output.js';

interface RcaOptions {
  namespace?: string;
  cluster?: string;
  service?: string;
  signal?: string;
  start?: string;
  end?: string;
  /** Seconds (parsed at the edge: a bad duration is refused before an engine is built). */
  since?: number;
  top: number;
  show?: string;
  list?: boolean;
}

const DURATION = /^(\d+)([smhd])$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * The shortest --since: the engine analyses no window under MIN_WINDOW_SECONDS (rca/RcaService.ts, not imported so
 * a `--server` run loads no engine code; a test holds the two equal). Refused here, a `0m` or `30s` names --since,
 * not the `--end` the engine's check would name for a window the user never gave an end to.
 */
export const MIN_SINCE_SECONDS = 60;

/** `15m` → seconds, at least `min`; an EngineError naming the option otherwise. */
function parseDuration(value: string, option: string, min = 0): number {
  const m = DURATION.exec(value);
  if (!m) {
    throw new EngineError('INVALID_INPUT', `--${option} must be a duration like 15m or 2h, got "${value}"`, {
      issues: [{ field: option, message: 'must be a duration like 15m or 2h' }],
    });
  }
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  if (seconds < min) {
    const message = `must be at least ${min} s (the shortest window RCA analyses), got "${value}"`;
    throw new EngineError('INVALID_INPUT', `--${option} ${message}`, {
      issues: [{ field: option, message }],
    });
  }
  return seconds;
}

/** What the scores were measured against, as the Grafana page says it. */
function describeBaseline(baseline: NonNullable<RcaResult['baseline']>): string {
  const what = {
    'same-hours': `the same hours on ${baseline.days ?? '?'} earlier days and the hour before`,
    'own-history': "each signal's own history before the onset",
    'across-services': "the other services' changes (no normal period before the onset)",
  }[baseline.kind];
  const why = baseline.trustReason ? ` (${baseline.trustReason})` : '';
  return `${what}, ${baseline.points} points, trust ${baseline.trust}${why}`;
}

function render(result: RcaResult, top: number): string {
  const lines = [result.narrative, ''];
  const when = (t: number) => new Date(t * 1000).toISOString();
  // "the hour before", not "baseline": with earlier days the baseline also holds the same hours on them (next line).
  lines.push(
    `window ${when(result.window.start)} → ${when(result.window.end)} (the hour before from ${when(result.window.baselineStart)}), namespace ${result.namespace ?? '-'}, id ${result.id}`,
  );
  if (result.baseline) lines.push(`baseline: ${describeBaseline(result.baseline)}`);
  if (result.candidates.length === 0) return lines.join('\n');
  lines.push('');
  lines.push(['#', 'service', 'fault type', 'score', 'signal', 'deviation'].join('\t'));
  result.candidates.slice(0, top).forEach((c, i) => {
    const m = c.evidence.metrics[0];
    lines.push(
      [
        i + 1,
        c.service,
        c.faultType,
        c.score.toFixed(1),
        c.signal,
        m
          ? Math.abs(m.deviation) > 100
            ? `${m.deviation > 0 ? '>' : '<-'}100σ`
            : `${m.deviation.toFixed(1)}σ`
          : '-',
      ].join('\t'),
    );
    if (m?.promql) lines.push(`   promql: ${m.promql}`);
    for (const log of c.evidence.logs.slice(0, 2))
      lines.push(
        `   log ${log.isNew ? 'new' : 'burst'} ${log.countBaseline}→${log.countIncident}: ${log.template}`,
      );
    for (const e of c.evidence.events.slice(0, 2))
      lines.push(`   event ${e.reason} ${e.object} ×${e.count}: ${e.message}`);
    for (const ch of c.evidence.changes.slice(0, 2)) lines.push(`   change ${ch.kind}: ${ch.description}`);
  });
  if (result.warnings.length) lines.push('', ...result.warnings.map((w) => `warning: ${w}`));
  return lines.join('\n');
}

/**
 * Flags that only mean something together, or not at all together, refused naming them: `--since 15m --start T`
 * analysed from T (the --since was dropped), `--end T` alone and `--signal S` without a service were ignored.
 */
function checkFlags(options: RcaOptions): void {
  const refuse = (field: string, message: string) => {
    throw new EngineError('INVALID_INPUT', `--${field} ${message}`, { issues: [{ field, message }] });
  };
  // Given, not truthy: a flag given an empty or zero value was given, and slipped past this check as if absent.
  if (options.since !== undefined && (options.start !== undefined || options.end !== undefined)) {
    refuse('since', 'is a window ending now: give either --since or --start [--end], not both');
  }
  if (options.end !== undefined && options.start === undefined)
    refuse('end', 'needs --start (or --since for a window ending now)');
  if (options.signal && !options.service)
    refuse('signal', 'needs -s/--service, the service whose signal it is');
}

/** The options that describe an analysis, which --list and --show do not run. */
const ANALYSIS_FLAGS = ['namespace', 'cluster', 'service', 'signal', 'start', 'end', 'since'];

/** The request fields the flags fill, so the engine's refusal names the flag (`--start`, not `body.window.start`). */
const REQUEST_TERMS: RequestTerms = {
  'body.namespace': '--namespace',
  'body.cluster': '--cluster',
  // The cluster registry names its field without the body's prefix.
  cluster: '--cluster',
  'body.target.service': '--service',
  'body.target.signal': '--signal',
  'body.window.start': '--start',
  'body.window.end': '--end',
};

/**
 * The terms for this command line: with --since the window's start and end are computed from it, and a window over
 * the engine's bound (`--since 2d`) named `--start`, a flag nobody typed.
 */
function termsOf(options: RcaOptions): RequestTerms {
  if (options.since === undefined) return REQUEST_TERMS;
  return { ...REQUEST_TERMS, 'body.window.start': '--since', 'body.window.end': '--since' };
}

/** The analysis request the options describe; the engine validates it (400 naming the field). */
function requestOf(options: RcaOptions): Record<string, unknown> {
  const now = Date.now() / 1000;
  const window =
    options.start !== undefined
      ? // --start alone leaves the end to the engine (now): sent as now, a start in the future (unix milliseconds
        // for seconds) was refused as `--end: end must be after start`, naming a flag nobody typed.
        { start: options.start, ...(options.end !== undefined ? { end: options.end } : {}) }
      : options.since !== undefined
        ? { start: now - options.since, end: now }
        : undefined;
  return {
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.cluster ? { cluster: options.cluster } : {}),
    ...(options.service
      ? { target: { service: options.service, ...(options.signal ? { signal: options.signal } : {}) } }
      : {}),
    ...(window ? { window } : {}),
  };
}

export function registerRca(program: Command, cli: CliContext): void {
  program
    .command('rca')
    .description('root-cause analysis of an incident: ranked suspects with their evidence')
    .option('-n, --namespace <namespace>', 'namespace to analyse (default: config defaultNamespace)')
    .option('--cluster <name>', 'cluster (kubeconfig context) to read')
    .option('-s, --service <service>', 'the service showing the symptom (target)')
    .option('--signal <signal>', 'the target signal, e.g. latency_p99')
    .option('--start <time>', 'incident start, ISO-8601 or unix seconds')
    .option('--end <time>', 'incident end, ISO-8601 or unix seconds (default now)')
    .option('--since <duration>', 'incident window ending now, e.g. 15m (default from config)', (v) =>
      parseDuration(v, 'since', MIN_SINCE_SECONDS),
    )
    .option('--top <n>', 'candidates to print', positiveInt('top'), 5)
    // Reading a stored result analyses nothing: an analysis flag beside --list or --show was dropped without a word
    // (`--list --show ID` listed, `--show ID -n other` showed ID), so commander refuses the pair, naming both.
    .addOption(
      new Option('--show <id>', 'print a stored result instead of analysing').conflicts(ANALYSIS_FLAGS),
    )
    .addOption(
      new Option('--list', 'list stored results instead of analysing').conflicts([
        ...ANALYSIS_FLAGS,
        'show',
        'top',
      ]),
    )
    .action(async (options: RcaOptions) => {
      const output = cli.output;
      try {
        const { top } = options;
        if (!options.list && !options.show) checkFlags(options);
        await cli.withBackend(async (backend) => {
          if (options.list) {
            const items = await backend.listRca();
            const empty = backend.nothingStored('results');
            output.result({ items }, () =>
              items.length === 0
                ? empty
                : items
                    .map((r) => `${r.id}  ${r.createdAt}  ${r.candidates[0]?.service ?? '(none)'}`)
                    .join('\n'),
            );
            return;
          }
          if (options.show) {
            const result = await backend.getRca(options.show);
            output.result(result, () => render(result, top));
            return;
          }
          const result = await output.withProgress('rca', (progress) =>
            backend.analyzeRca(requestOf(options), progress),
          );
          output.result(result, () => render(result, top));
        });
      } catch (error) {
        process.exitCode = output.error(error, termsOf(options));
      }
    });
}
