import { Option, type Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import type { ForecastResponse, ScalePlanResponse } from '../../forecast/schemas.js';
import type { BacktestResult } from '../../forecast/backtest.js';
import { positiveInt, positiveNumber } from '../flags.js';
import type { RequestTerms } from '../output.js';
import { EngineError } from '../../errors.js';

/**
 * Every request field forecast and scale-plan fill from their flags, so an engine refusal of any of them names the
 * flag (`--signal`, not `body.signal`). `body.workload` is scale-plan's `{kind, name}`.
 */
const REQUEST_TERMS: RequestTerms = {
  'body.namespace': '--namespace',
  'body.service': '--service',
  'body.signal': '--signal',
  'body.query': '--query',
  'body.counter': '--counter',
  'body.horizonMinutes': '--horizon',
  'body.historyDays': '--history-days',
  'body.testDays': '--test-days',
  'body.cluster': '--cluster',
  // The cluster registry names its field without the body's prefix.
  cluster: '--cluster',
  'body.workload.kind': '--kind',
  'body.workload.name': '--workload',
  'body.capacityPerReplica': '--capacity',
  'body.mode': '--mode',
  'body.dryRun': '--dry-run',
};

interface SeriesOptions {
  namespace?: string;
  service?: string;
  signal?: string;
  query?: string;
  counter?: boolean;
}

interface ForecastOptions extends SeriesOptions {
  horizon: number;
  train?: boolean;
  backtest?: boolean;
  testDays: number;
  historyDays?: number;
  models?: boolean;
}

interface ScalePlanOptions extends SeriesOptions {
  workload: string;
  kind: string;
  cluster?: string;
  capacity?: number;
  horizon: number;
  mode: string;
  dryRun?: boolean;
}

const when = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const num = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(3);

function selector(o: SeriesOptions): Record<string, unknown> {
  return {
    ...(o.namespace ? { namespace: o.namespace } : {}),
    ...(o.service ? { service: o.service } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.query ? { query: o.query } : {}),
    ...(o.counter ? { counter: true } : {}),
  };
}

/**
 * Flags that mean something only beside another, refused naming them: the engine took `--counter` without
 * `--query` and differenced the signal's series, which is already a rate or an increase (a forecast of its
 * changes, another model chosen), and `--dry-run` without `--mode apply` was dropped.
 */
function checkFlags(o: SeriesOptions & { mode?: string; dryRun?: boolean }): void {
  const refuse = (field: string, message: string) => {
    throw new EngineError('INVALID_INPUT', `--${field} ${message}`, { issues: [{ field, message }] });
  };
  if (o.counter && o.query === undefined)
    refuse('counter', 'needs --query: the configured signals are already rates or increases');
  if (o.dryRun && o.mode !== 'apply')
    refuse('dry-run', 'needs --mode apply: only applying a plan changes a cluster');
}

function renderForecast(r: ForecastResponse): string {
  const lines = [
    `${r.seriesKey}: ${r.model} (${r.source}${r.modelVersion ? ` v${r.modelVersion}` : ''}), ${Math.round(r.coverage * 100)}% intervals`,
    r.reason,
    '',
  ];
  lines.push(['time', 'forecast', 'lower', 'upper'].join('\t'));
  for (const p of r.points)
    lines.push([when(p.t), p.value.toFixed(3), p.lower.toFixed(3), p.upper.toFixed(3)].join('\t'));
  return lines.join('\n');
}

function renderBacktest(r: BacktestResult): string {
  const lines = [r.reason, '', ['model', 'h', 'MAE', 'RMSE', 'MASE', 'sMAPE', 'coverage'].join('\t')];
  for (const [name, metrics] of Object.entries(r.models)) {
    for (const m of [metrics[0], metrics.at(-1)]) {
      if (m)
        lines.push(
          [
            name + (name === r.chosen ? '*' : ''),
            m.horizon,
            num(m.mae),
            num(m.rmse),
            num(m.mase),
            num(m.smape),
            num(m.coverage),
          ].join('\t'),
        );
    }
  }
  return lines.join('\n');
}

function renderPlan(r: ScalePlanResponse): string {
  const lines = [
    `${r.workload.namespace}/${r.workload.name} on ${r.cluster}: ${r.plan.recommendedReplicas} replicas (now ${r.plan.currentReplicas ?? '?'}), capacity ${r.plan.capacityPerReplica.toFixed(2)}/replica (${r.capacitySource})`,
    r.plan.reason,
    '',
    ['time', 'demand', 'needed', 'replicas'].join('\t'),
    ...r.plan.steps.map((s) => [when(s.t), s.demand.toFixed(2), s.needed, s.replicas].join('\t')),
  ];
  for (const m of r.manifests ?? []) lines.push('', '---', m.yaml.trimEnd());
  if (r.applied)
    lines.push(
      '',
      r.applied.dryRun
        ? `dry run accepted: ${r.applied.from} → ${r.applied.dryRunReplicas}`
        : `scaled ${r.applied.from} → ${r.applied.replicas}`,
    );
  return lines.join('\n');
}

const seriesOptions = (cmd: Command) =>
  cmd
    .option('-n, --namespace <namespace>', 'namespace (default: config defaultNamespace)')
    // Given with --query, the query was forecast and --signal dropped without a word (its default does not conflict).
    .addOption(
      new Option('--signal <signal>', 'configured signal to forecast')
        .default('request_rate')
        .conflicts('query'),
    )
    .option('--query <promql>', 'a PromQL of your own instead of the signal (must return one series)')
    .option(
      '--counter',
      'with --query: the query returns a cumulative counter, so forecast per-step increases',
    );

export function registerForecast(program: Command, cli: CliContext): void {
  seriesOptions(
    program
      .command('forecast')
      .description(
        'forecast a series with intervals; --train trains and stores a model, --backtest scores the models',
      )
      .option('-s, --service <service>', 'service whose series to forecast'),
  )
    .option('--horizon <minutes>', 'minutes ahead', positiveInt('horizon'), 60)
    // One action per run: given two, one used to win silently (--train --backtest only backtested).
    .addOption(
      new Option(
        '--train',
        'train (in a worker), validate and store a model version, then forecast with it',
      ).conflicts(['backtest', 'models']),
    )
    .addOption(
      new Option('--backtest', 'rolling-origin backtest of every model on the last --test-days').conflicts(
        'models',
      ),
    )
    .option('--test-days <days>', 'days scored by --backtest', positiveNumber('test-days'), 1)
    .option(
      '--history-days <days>',
      'days of history for --train/--backtest (default from config)',
      positiveNumber('history-days'),
    )
    .option('--models', 'list stored model versions')
    .action(async (o: ForecastOptions) => {
      const output = cli.output;
      try {
        checkFlags(o);
        await cli.withBackend(async (backend) => {
          if (o.models) {
            const items = await backend.models();
            const empty = backend.nothingStored('models');
            output.result({ items }, () =>
              items.length === 0
                ? empty
                : items
                    .map(
                      (i) =>
                        `${i.seriesKey}  current v${i.current ?? '-'}  ${i.versions.map((v) => `v${v.version}:${v.chosen}${v.promoted ? '' : '(not promoted)'}`).join(' ')}`,
                    )
                    .join('\n'),
            );
            return;
          }
          // Numbers parsed at the flag (a JSON body takes no number as a string); the engine's range checks name
          // the flag through REQUEST_TERMS.
          const history = o.historyDays !== undefined ? { historyDays: o.historyDays } : {};
          if (o.backtest) {
            const request = { ...selector(o), ...history, testDays: o.testDays };
            const result = await output.withProgress('backtest', (progress) =>
              backend.backtest(request, progress),
            );
            output.result(result, () => renderBacktest(result));
            return;
          }
          if (o.train) {
            const meta = await output.withProgress('train', (progress) =>
              backend.train({ ...selector(o), ...history }, progress),
            );
            output.info(
              `stored ${meta.seriesKey} v${meta.version}: ${meta.chosen}${meta.promoted ? ', promoted' : ', NOT promoted (failed validation)'}`,
            );
          }
          const result = await backend.forecast({ ...selector(o), horizonMinutes: o.horizon });
          output.result(result, () => renderForecast(result));
        });
      } catch (error) {
        process.exitCode = output.error(error, REQUEST_TERMS);
      }
    });

  seriesOptions(
    program
      .command('scale-plan')
      .description(
        'replica plan from the forecast: a recommendation, HPA/KEDA manifests, or apply (dry-run first, policy permitting)',
      )
      .requiredOption('-w, --workload <name>', 'the workload to scale')
      .option('--kind <kind>', 'Deployment, StatefulSet or DaemonSet', 'Deployment')
      .option('-s, --service <service>', 'service whose demand to forecast (default: the workload name)')
      .option('--cluster <name>', 'cluster (kubeconfig context)'),
  )
    .option(
      '--capacity <n>',
      'demand one replica serves at the target utilisation (default: learned from metrics)',
      positiveNumber('capacity'),
    )
    .option('--horizon <minutes>', 'minutes ahead', positiveInt('horizon'), 60)
    .option('--mode <mode>', 'recommend, hpa, keda or apply', 'recommend')
    .option('--dry-run', 'with --mode apply: stop after the server-side dry run')
    .action(async (o: ScalePlanOptions) => {
      const output = cli.output;
      try {
        checkFlags(o);
        await cli.withBackend(async (backend) => {
          const result = await backend.scalePlan({
            ...selector(o),
            workload: { kind: o.kind, name: o.workload },
            ...(o.cluster ? { cluster: o.cluster } : {}),
            ...(o.capacity !== undefined ? { capacityPerReplica: o.capacity } : {}),
            horizonMinutes: o.horizon,
            mode: o.mode,
            dryRun: Boolean(o.dryRun),
          });
          output.result(result, () => renderPlan(result));
        });
      } catch (error) {
        process.exitCode = output.error(error, REQUEST_TERMS);
      }
    });
}
