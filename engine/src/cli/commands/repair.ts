import type { Command } from 'commander';
import { positiveInt } from '../flags.js';
import type { CliContext } from '../CliContext.js';
import type { Engine } from '../../engine.js';
import { EngineError, fieldIssuesFromZod, invalidRequest } from '../../errors.js';
import type { RequestTerms } from '../output.js';
import { auditQuerySchema } from '../../repair/repairSchemas.js';
import type {
  FindingDto,
  PlannedActionDto,
  RepairActionDto,
  RepairAuditRecordDto,
  RepairAuditVerification,
  RepairPlanResponse,
  RepairScanResponse,
} from '../../repair/repairSchemas.js';

/**
 * `aicloudops repair scan|plan|approve|reject|audit`. Reads work against a running engine (`--server`, default
 * $AICLOUDOPS_URL) or, without one, a one-shot engine from config. Decisions always go to a running engine, whose API
 * checks the operator role and whose leader applies them.
 */

/** The audit query's fields, so a refusal names the flag (`--since`), not `querystring.since`. */
const AUDIT_TERMS: RequestTerms = {
  'querystring.namespace': '--namespace',
  'querystring.name': '--name',
  'querystring.actionId': '--action',
  'querystring.since': '--since',
  'querystring.until': '--until',
  'querystring.limit': '--limit',
};

/** scan's and plan's one flag, named as the user typed it when a running engine refuses its value. */
const NAMESPACE_TERMS: RequestTerms = { 'querystring.namespace': '--namespace' };

/**
 * The `?namespace=` of scan and plan, checked as their routes check it on both paths: a one-shot engine scanned
 * `-n Bad_NS` and printed "no findings", where a running engine refused `querystring.namespace`.
 */
function namespaceQuery(namespace: string | undefined): { namespace?: string } {
  const checked = auditQuerySchema.pick({ namespace: true }).safeParse(namespace ? { namespace } : {});
  if (!checked.success) throw invalidRequest(fieldIssuesFromZod(checked.error.issues, 'querystring'));
  return checked.data;
}

function repairOf(engine: Engine) {
  const repair = engine.services.repair;
  if (!repair)
    throw new EngineError(
      'UPSTREAM_UNAVAILABLE',
      'repair is not available: the default cluster cannot be acted on',
    );
  return repair;
}

const ref = (r: { kind: string; namespace: string; name: string }) =>
  `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

export function renderFindings(scan: RepairScanResponse): string {
  if (scan.findings.length === 0) return `no findings (scanned ${scan.at})`;
  return scan.findings
    .map(
      (f: FindingDto) =>
        `${f.severity.padEnd(8)} ${f.type.padEnd(26)} ${ref(f.object).padEnd(40)} held ${f.heldSeconds}s  ${f.message}`,
    )
    .join('\n');
}

export function renderPlan(plan: RepairPlanResponse): string {
  const lines = [renderFindings(plan), ''];
  if (plan.actions.length === 0) lines.push('no actions planned');
  for (const a of plan.actions as PlannedActionDto[]) {
    lines.push(
      `${a.mode.padEnd(9)} ${a.type.padEnd(20)} ${ref(a.target).padEnd(40)} rule ${a.ruleId} v${a.ruleVersion}  ${JSON.stringify(a.params)}`,
    );
  }
  for (const s of plan.skipped) lines.push(`held back: rule ${s.ruleId}: ${s.reason}`);
  return lines.join('\n');
}

export function renderAction(a: RepairActionDto): string {
  const lines = [
    `${a.id}  ${a.state.padEnd(18)} ${a.planned.type} ${ref(a.planned.target)}  (${a.planned.mode}, rule ${a.planned.ruleId})`,
  ];
  if (a.plan) lines.push(`   ${a.plan.summary}`);
  for (const d of a.dryRun?.diff ?? [])
    lines.push(`   ${d.path}: ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`);
  if (a.approval && !a.approval.decision) lines.push(`   awaiting approval until ${a.approval.expiresAt}`);
  if (a.reason) lines.push(`   ${a.reason}`);
  return lines.join('\n');
}

export function renderAudit(items: RepairAuditRecordDto[]): string {
  if (items.length === 0) return 'no audit records';
  return items
    .map(
      (r) =>
        `#${r.seq} ${r.at} ${r.kind.padEnd(18)} ${(r.target.namespace ? `${r.target.namespace}/` : '') + r.target.name} ${r.actor ?? ''} ${r.hash.slice(0, 12)}`,
    )
    .join('\n');
}

export function renderVerification(v: RepairAuditVerification): string {
  return v.ok
    ? `audit chain intact: ${v.records} records, head ${v.headHash}`
    : `audit chain BROKEN at record ${v.brokenAt?.seq}: ${v.brokenAt?.reason} (${v.records} records verified before it)`;
}

export function registerRepair(program: Command, cli: CliContext): void {
  const repair = program
    .command('repair')
    .description('Kubernetes auto-repair: findings, plans, approvals and the audit trail');
  const run = async (work: () => Promise<void>, terms?: RequestTerms) => {
    try {
      await work();
    } catch (error) {
      process.exitCode = cli.output.error(error, terms);
    }
  };

  repair
    .command('scan')
    .description('what is wrong in the cluster now')
    .option('-n, --namespace <namespace>', 'one namespace (default: repair.namespaces)')
    .action(async (options: { namespace?: string }) =>
      run(async () => {
        const query = namespaceQuery(options.namespace);
        const remote = cli.remote();
        const scan = remote
          ? await remote.repairFindings(query)
          : await cli.withEngine((e) => repairOf(e).scan(query.namespace));
        cli.output.result(scan, () => renderFindings(scan as RepairScanResponse));
      }, NAMESPACE_TERMS),
    );

  repair
    .command('plan')
    .description('what the rules in force would do (changes nothing)')
    .option('-n, --namespace <namespace>', 'one namespace')
    .action(async (options: { namespace?: string }) =>
      run(async () => {
        const query = namespaceQuery(options.namespace);
        const remote = cli.remote();
        const plan = remote
          ? await remote.repairPlans(query)
          : await cli.withEngine((e) => repairOf(e).plan(query.namespace));
        cli.output.result(plan, () => renderPlan(plan as RepairPlanResponse));
      }, NAMESPACE_TERMS),
    );

  repair
    .command('approvals')
    .description('actions waiting for an operator, with their dry-run diff')
    .action(async () =>
      run(async () => {
        const { items } = await cli.requireRemote('listing approvals').repairApprovals();
        cli.output.result({ items }, () =>
          items.length ? items.map(renderAction).join('\n') : 'nothing awaits approval',
        );
      }),
    );

  for (const decision of ['approve', 'reject'] as const) {
    repair
      .command(`${decision} <id>`)
      .description(
        decision === 'approve'
          ? 'approve a pending action (operator role; single use, before it expires)'
          : 'reject a pending action (operator role)',
      )
      .option('-m, --comment <text>', 'why, kept in the audit trail')
      .action(async (id: string, options: { comment?: string }) =>
        run(async () => {
          const remote = cli.requireRemote(`repair ${decision}`);
          const action =
            decision === 'approve'
              ? await remote.approveRepair(id, options.comment)
              : await remote.rejectRepair(id, options.comment);
          cli.output.result(action, () => renderAction(action));
        }),
      );
  }

  repair
    .command('audit')
    .description(
      'the hash-chained audit trail; --verify re-hashes it and names the first record changed or removed',
    )
    .option('--verify', 'check the chain instead of listing it (exit code 1 when broken)')
    .option('-n, --namespace <namespace>', 'records about this namespace')
    .option('--name <name>', 'records about this workload, node or pod')
    .option('--action <id>', 'records of one action')
    .option('--since <time>', 'ISO-8601 start')
    .option('--until <time>', 'ISO-8601 end')
    .option('--limit <n>', 'newest records to print', positiveInt('limit'), 100)
    .action(
      async (options: {
        verify?: boolean;
        namespace?: string;
        name?: string;
        action?: string;
        since?: string;
        until?: string;
        limit: number;
      }) =>
        run(async () => {
          const remote = cli.remote();
          if (options.verify) {
            // A one-shot engine on the memory store has an empty trail by construction: "intact: 0 records" read as
            // a verdict on the real one (found walking the README), so say where the real one is.
            const { result, oneShotMemory } = remote
              ? { result: await remote.verifyRepairAudit(), oneShotMemory: false }
              : await cli.withEngine(async (e) => ({
                  result: await repairOf(e).verifyAudit(),
                  oneShotMemory: e.config.store.kind === 'memory',
                }));
            const note =
              oneShotMemory && result.records === 0
                ? "\n(this one-shot engine uses the memory store, whose trail is empty: pass --server URL to verify a running engine's, or configure a Redis store)"
                : '';
            cli.output.result(result, () => renderVerification(result) + note);
            if (!result.ok) process.exitCode = 1;
            return;
          }
          const limit = options.limit;
          const query = {
            ...(options.namespace ? { namespace: options.namespace } : {}),
            ...(options.name ? { name: options.name } : {}),
            ...(options.action ? { actionId: options.action } : {}),
            ...(options.since ? { since: options.since } : {}),
            ...(options.until ? { until: options.until } : {}),
            limit,
          };
          // The route's own check, here too: a one-shot engine read `--since yesterday` as no records at all.
          const checked = auditQuerySchema.safeParse(query);
          if (!checked.success) throw invalidRequest(fieldIssuesFromZod(checked.error.issues, 'querystring'));
          const items = remote
            ? (await remote.repairAudit(query)).items
            : await cli.withEngine((e) => repairOf(e).audit(checked.data));
          cli.output.result({ items }, () => renderAudit(items as RepairAuditRecordDto[]));
        }, AUDIT_TERMS),
    );
}
