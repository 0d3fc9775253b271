import { EventEmitter, on } from 'node:events';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Role } from '../config/schema.js';
import { EngineError } from '../errors.js';
import { roleAtLeast } from '../server/auth.js';
import type { LeaderLease } from '../sources/cluster/ClusterSource.js';
import type { MetricsSource } from '../sources/metrics/MetricsSource.js';
import type { Store } from '../store/Store.js';
import type { RepairAdvisor } from './advisor/ModelRepairAdvisor.js';
import type { AuditLog, AuditQuery, AuditRecord, AuditVerification } from './audit/AuditLog.js';
import type { RepairConfig } from './config.js';
import { scanSnapshot } from './detectors/index.js';
import { OPEN_STATES, type ActionRecord } from './executor/ActionRecord.js';
import { ActionStore, type ActionIndex } from './executor/ActionStore.js';
import type { ClusterActuator } from './executor/ClusterActuator.js';
import { leaseFence } from './executor/leaseFence.js';
import { RepairExecutor, type RepairEvent, type RepairNotification } from './executor/RepairExecutor.js';
import { actionView } from './executor/actionView.js';
import type { RepairKillSwitch } from './repairSchemas.js';
import type { RuleBook } from './rules/loadRules.js';
import { BUDGET_WINDOW_SECONDS, planRepairsWithReasons, type SkippedRule } from './rules/planRepairs.js';
import { DEFAULT_COOLDOWN_SECONDS } from './rules/ruleSchema.js';
import { parseRepairPolicy } from './rules/loadRules.js';
import { planRepairsWithModel } from './rules/planWithModel.js';
import type { ClusterSnapshot, Finding, PlannedAction, RecentAction } from './types.js';

export interface RepairServiceDeps {
  /** Reads and writes on the one cluster repair acts on. */
  cluster: ClusterActuator;
  /** Only the holder acts; it is also the fence before every write. */
  lease: LeaderLease;
  store: Store;
  audit: AuditLog;
  rules: RuleBook;
  config: RepairConfig;
  logger: Logger;
  metrics?: Pick<MetricsSource, 'instantQuery'>;
  /** A model that proposes or chooses within the rules (repair.model.enabled with a model configured). */
  advisor?: RepairAdvisor;
  /**
   * Calls back when something changes for the worse in the cluster (a pod turned unready, say), so a scan runs at
   * once instead of waiting for the schedule. Resolves to a handle that stops watching.
   */
  watch?: (onChange: () => void) => Promise<{ stop(): void }>;
  now?: () => Date;
}

/** A burst of watch events (a rollout touches every pod) becomes one scan this long after the first. */
const WATCH_DEBOUNCE_MS = 2_000;

export interface RepairScan {
  at: string;
  findings: Finding[];
}

export interface RepairPlanResult extends RepairScan {
  actions: PlannedAction[];
  skipped: SkippedRule[];
}

/** Which actions a listing wants; every field left out matches all. */
export interface ActionFilter {
  state?: string;
  namespace?: string;
  /** The finding's workload or the planned target has one of these names (an incident's services name workloads). */
  names?: readonly string[];
  /** Created at or after this time. */
  since?: Date;
  /** Updated (any step: created, approved, applied, verified, …) at or after this time. */
  updatedSince?: Date;
  /** Acts on, or was found on, a Node with one of these names (an incident's alerts name a node as `node`). */
  nodes?: readonly string[];
}

function actionMatcher(filter: ActionFilter): (record: ActionRecord) => boolean {
  const names = filter.names ? new Set(filter.names) : undefined;
  const nodes = filter.nodes ? new Set(filter.nodes) : undefined;
  const since = filter.since?.toISOString();
  const onNode = (ref: { kind: string; name: string }) => ref.kind === 'Node' && nodes!.has(ref.name);
  return (r) =>
    (!filter.state || r.state === filter.state) &&
    (!filter.namespace || r.planned.target.namespace === filter.namespace) &&
    (!names || names.has(r.finding.workload.name) || names.has(r.planned.target.name)) &&
    (!nodes || onNode(r.finding.workload) || onNode(r.planned.target)) &&
    // Read by update time, the creation bound is a filter (the scan stops at `updatedSince`, not at `since`).
    (!since || !filter.updatedSince || r.createdAt >= since);
}

/**
 * The index a filter is read from, down to which time: by update time with `updatedSince` (an action created long
 * ago may have moved a second ago), else the open actions' index for an open state, else all by creation.
 */
function indexFor(filter: ActionFilter): { index: ActionIndex; stopBelow?: string } {
  if (filter.updatedSince) return { index: 'updated', stopBelow: filter.updatedSince.toISOString() };
  const open = filter.state !== undefined && (OPEN_STATES as readonly string[]).includes(filter.state);
  return {
    index: open ? 'open' : 'created',
    ...(filter.since ? { stopBelow: filter.since.toISOString() } : {}),
  };
}

const KILL_SWITCH_KEY = 'repair:kill-switch';

/** Who decides: the API's principal (token name and role). */
export interface Principal {
  name: string;
  role: Role;
}

/** Approvals need the operator role whoever calls (the API, the Backstage backend, an embedder). */
function decider(principal: Principal): string {
  if (!roleAtLeast(principal.role, 'operator')) {
    throw new EngineError(
      'FORBIDDEN',
      `role ${principal.role} may not approve or reject repairs; it needs operator`,
    );
  }
  return principal.name;
}

/**
 * The repair loop as a service: scans (on a schedule and on demand), plans with the rules in force, hands planned
 * actions to the executor, and serves findings, plans, approvals, actions, the audit trail and the kill switch to
 * the API and the CLI. Every replica serves reads and approvals (state lives in the store); only the Lease holder
 * scans for new actions and writes to the cluster.
 */
export class RepairService {
  readonly executor: RepairExecutor;
  private readonly actions: ActionStore;
  private readonly events = new EventEmitter();
  private readonly now: () => Date;
  private lastScan?: RepairScan;
  private readonly snapshotsInFlight = new Map<string, Promise<ClusterSnapshot>>();
  private timers: NodeJS.Timeout[] = [];
  private leading = false;
  private running?: Promise<void>;
  private watchHandle?: { stop(): void };
  /** Scans started by a watch event rather than the schedule (for operators and tests). */
  watchScans = 0;

  constructor(private readonly deps: RepairServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.actions = new ActionStore(deps.store, this.now);
    this.events.setMaxListeners(100);
    this.executor = new RepairExecutor({
      reader: deps.cluster,
      writer: deps.cluster,
      actions: this.actions,
      audit: deps.audit,
      fence: leaseFence(deps.lease),
      killSwitch: async () => (await this.killSwitch()).on,
      stillHolds: (finding, snapshot) =>
        scanSnapshot(snapshot, this.now()).some((f) => f.fingerprint === finding.fingerprint),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      notify: (n) => this.notify(n),
      // Events reach every viewer's stream: the record as the API shows it (no request bodies, env values masked).
      onEvent: (e) => this.events.emit('event', { ...e, action: actionView(e.action) }),
      settings: {
        approvalTtlSeconds: deps.config.approvalTtlSeconds,
        loopBreaker: deps.config.loopBreaker,
        shadowHorizonSeconds: deps.config.shadowHorizonSeconds,
      },
      identity: deps.lease.identity,
      now: this.now,
    });
  }

  get identity(): string {
    return this.deps.lease.identity;
  }

  /** Finds what is wrong now, in the configured namespaces (all when none are configured). */
  async scan(namespace?: string): Promise<RepairScan> {
    const snapshot = await this.snapshot(namespace);
    const scan = { at: this.now().toISOString(), findings: scanSnapshot(snapshot, this.now()) };
    if (!namespace) this.recordScan(scan);
    this.events.emit('event', { type: 'findings', at: scan.at, count: scan.findings.length });
    return scan;
  }

  /**
   * Tells `listener` about every whole-cluster scan (scheduled or asked for), so other capabilities can follow the
   * findings: unified alerting raises them as alerts. Returns the function that stops listening.
   */
  onScan(listener: (scan: RepairScan) => void): () => void {
    this.events.on('scan', listener);
    return () => this.events.off('scan', listener);
  }

  private recordScan(scan: RepairScan): void {
    this.lastScan = scan;
    this.events.emit('scan', scan);
  }

  /** What the rules would do about the current findings (nothing is submitted or written). */
  async plan(namespace?: string): Promise<RepairPlanResult> {
    const snapshot = await this.snapshot(namespace);
    const at = this.now();
    const findings = scanSnapshot(snapshot, at);
    const args = [
      findings,
      snapshot,
      this.deps.rules.current,
      this.policy(),
      at,
      await this.history(at),
    ] as const;
    const { advisor } = this.deps;
    const { actions, skipped } = advisor
      ? await planRepairsWithModel(...args, {
          advisor,
          mode: this.deps.config.model.mode,
          maxCalls: this.deps.config.model.maxCallsPerPlan,
        })
      : planRepairsWithReasons(...args);
    return { at: at.toISOString(), findings, actions, skipped };
  }

  /** The last scheduled scan, or a fresh one when none ran yet. */
  async findings(): Promise<RepairScan> {
    return this.lastScan ?? this.scan();
  }

  /**
   * One round, leader only: recover in-flight actions after taking the lease, scan and plan, submit what the rules
   * ask for, then move every open action a step (and, in a scan round, keep the action indexes up). Rounds never
   * overlap within a replica.
   */
  async runOnce(options: { scan?: boolean } = {}): Promise<{ leader: boolean; submitted: number }> {
    if (!(await this.deps.lease.tryAcquireOrRenew())) {
      this.leading = false;
      return { leader: false, submitted: 0 };
    }
    if (!this.leading) {
      this.leading = true;
      await this.executor.recover();
    }
    let submitted = 0;
    if (options.scan !== false) {
      const plan = await this.plan();
      this.recordScan({ at: plan.at, findings: plan.findings });
      const byFingerprint = new Map(plan.findings.map((f) => [f.fingerprint, f]));
      for (const action of plan.actions) {
        const finding = byFingerprint.get(action.findingFingerprint);
        if (!finding) continue;
        const rule = this.deps.rules.current.rules.find((r) => r.id === action.ruleId);
        await this.executor.submit(action, finding, rule?.verify);
        submitted++;
      }
    }
    await this.executor.tick();
    // Once a scan round, where one replica does it: the action indexes' upkeep (ActionStore.maintain).
    if (options.scan !== false) await this.actions.maintain();
    return { leader: true, submitted };
  }

  /** Starts the schedule: a scan every scanIntervalSeconds, in-flight steps every tickSeconds. */
  start(): void {
    if (this.timers.length || !this.deps.config.enabled) return;
    const round = (scan: boolean) => () => {
      if (this.running) return;
      this.running = this.runOnce({ scan })
        .then(() => undefined)
        .catch((error: unknown) =>
          this.deps.logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'repair: round failed',
          ),
        )
        .finally(() => (this.running = undefined));
    };
    this.timers = [
      setInterval(round(true), this.deps.config.scanIntervalSeconds * 1000),
      setInterval(round(false), this.deps.config.tickSeconds * 1000),
    ];
    for (const t of this.timers) t.unref();
    round(true)();
    this.startWatch(round(true));
  }

  /** Scans soon after the cluster reports a change for the worse, debounced, on top of the schedule. */
  private startWatch(scan: () => void): void {
    if (!this.deps.watch) return;
    let pending: NodeJS.Timeout | undefined;
    const onChange = () => {
      if (pending || !this.timers.length) return;
      pending = setTimeout(() => {
        pending = undefined;
        this.watchScans++;
        scan();
      }, WATCH_DEBOUNCE_MS);
      pending.unref();
    };
    this.deps
      .watch(onChange)
      .then((handle) => (this.watchHandle = handle))
      .catch((error: unknown) =>
        this.deps.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'repair: cannot watch the cluster; scanning on the schedule only',
        ),
      );
  }

  async stop(): Promise<void> {
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.running;
    if (this.leading) await this.deps.lease.release().catch(() => undefined);
    this.leading = false;
  }

  /** Actions as viewers may read them (actionView: no request bodies or preState, env values masked). */
  async listActions(filter: ActionFilter = {}): Promise<ActionRecord[]> {
    return (await this.pageActions(filter, { limit: Number.MAX_SAFE_INTEGER })).map((r) => r.item);
  }

  /**
   * Up to `limit` actions matching the filter, newest first, after the sort key `after`, each with its key (for
   * paginateIndexed). An open state is read from the index of open actions; other filters read the index in chunks
   * until the page is full, so an unfiltered page of N reads N records. With `since` the index is read only down to
   * that time, so a filter that matches little does not read the whole week of history. With `updatedSince` the
   * index by update time is read instead, newest update first, down to that time; its keys are the cursor then.
   */
  async pageActions(
    filter: ActionFilter,
    page: { limit: number; after?: string },
  ): Promise<Array<{ item: ActionRecord; key: string }>> {
    const matches = actionMatcher(filter);
    const bound = indexFor(filter);
    const chunk = Math.min(page.limit, 500);
    const found: Array<{ item: ActionRecord; key: string }> = [];
    let after = page.after;
    while (found.length < page.limit) {
      const rows = await this.actions.page({
        limit: chunk,
        ...bound,
        ...(after === undefined ? {} : { after }),
      });
      for (const { record, key } of rows)
        if (matches(record) && found.length < page.limit) found.push({ item: actionView(record), key });
      // Fewer rows than asked: the index ended, or reached its time bound.
      if (rows.length < chunk) break;
      after = rows.at(-1)!.key;
    }
    return found;
  }

  async getAction(id: string): Promise<ActionRecord> {
    return actionView(await this.actions.require(id));
  }

  /** Any replica records the decision (operator role or above); the leader applies it on its next step. */
  async approve(id: string, by: Principal, comment?: string): Promise<ActionRecord> {
    return actionView(await this.executor.approve(id, decider(by), comment));
  }

  async reject(id: string, by: Principal, comment?: string): Promise<ActionRecord> {
    return actionView(await this.executor.reject(id, decider(by), comment));
  }

  audit(query: AuditQuery = {}): Promise<AuditRecord[]> {
    return this.deps.audit.query(query);
  }

  verifyAudit(): Promise<AuditVerification> {
    return this.deps.audit.verify();
  }

  /** The config's switch wins (only config can lift it); otherwise the one an admin set through the API. */
  async killSwitch(): Promise<RepairKillSwitch> {
    if (this.deps.config.killSwitch) return { on: true, source: 'config' };
    const stored = await this.deps.store.get(KILL_SWITCH_KEY);
    if (!stored) return { on: false, source: 'off' };
    const parsed = JSON.parse(stored) as { by: string; at: string };
    return { on: true, source: 'api', by: parsed.by, at: parsed.at };
  }

  async setKillSwitch(on: boolean, by: string): Promise<RepairKillSwitch> {
    if (!on && this.deps.config.killSwitch) {
      throw new EngineError('CONFLICT', 'the kill switch is on in config (repair.killSwitch); lift it there');
    }
    const at = this.now().toISOString();
    if (on) await this.deps.store.set(KILL_SWITCH_KEY, JSON.stringify({ by, at }));
    else await this.deps.store.del(KILL_SWITCH_KEY);
    await this.deps.audit.append({
      kind: 'kill-switch',
      at,
      target: { kind: 'Engine', name: 'repair' },
      actor: by,
      data: { on },
    });
    this.events.emit('event', { type: 'kill-switch', on, by, at });
    return this.killSwitch();
  }

  /** Repair events (action updates, scans, kill switch) as they happen on this replica. */
  async *watch(signal: AbortSignal): AsyncGenerator<RepairEvent | Record<string, unknown>> {
    try {
      for await (const [event] of on(this.events, 'event', { signal })) yield event as RepairEvent;
    } catch (error) {
      if ((error as { name?: string }).name !== 'AbortError') throw error;
    }
  }

  private policy() {
    return parseRepairPolicy({
      maxMode: this.deps.config.maxMode,
      protectedNamespaces: this.deps.config.protectedNamespaces,
      killSwitch: false,
    });
  }

  /**
   * One cluster read at a time per scope: requests that arrive while one is in flight share it. GET /repair/findings
   * and /repair/plans (viewer) each read a whole snapshot (a dozen cluster-wide lists); without this, N concurrent
   * viewers sent N snapshots' worth of lists to the API server at once. Sequential callers still read fresh.
   */
  private snapshot(namespace?: string): Promise<ClusterSnapshot> {
    const key = namespace ?? '';
    const pending = this.snapshotsInFlight.get(key);
    if (pending) return pending;
    const read = this.readSnapshot(namespace).finally(() => this.snapshotsInFlight.delete(key));
    this.snapshotsInFlight.set(key, read);
    return read;
  }

  private async readSnapshot(namespace?: string): Promise<ClusterSnapshot> {
    const namespaces = namespace ? [namespace] : this.deps.config.namespaces;
    if (namespaces.length === 0) return this.deps.cluster.snapshot('');
    const parts = await Promise.all(namespaces.map((ns) => this.deps.cluster.snapshot(ns)));
    return mergeSnapshots(parts);
  }

  /**
   * Past actions carried out (changes and notifications), as far back as a cooldown or budget can look: the longest rule cooldown,
   * the model's rule default (30 min) and the budgets' hour. Read from the applied-time index, so a plan reads the
   * actions of those hours, not every action kept for a week.
   */
  private async history(now: Date): Promise<RecentAction[]> {
    const lookbackSeconds = Math.max(
      BUDGET_WINDOW_SECONDS,
      DEFAULT_COOLDOWN_SECONDS,
      ...this.deps.rules.current.rules.map((r) => r.cooldown),
    );
    const applied = await this.actions.appliedSince(new Date(now.getTime() - lookbackSeconds * 1000), now);
    return applied.map((r) => ({
      type: r.planned.type,
      target: r.planned.target,
      ruleId: r.planned.ruleId,
      at: r.applied!.at,
    }));
  }

  private notify(notification: RepairNotification): void {
    const log =
      notification.kind === 'escalation'
        ? this.deps.logger.warn.bind(this.deps.logger)
        : this.deps.logger.info.bind(this.deps.logger);
    log(
      { action: notification.actionId, target: notification.target },
      `repair ${notification.kind}: ${notification.message}`,
    );
    this.events.emit('event', { type: notification.kind, ...notification });
  }
}

function mergeSnapshots(parts: ClusterSnapshot[]): ClusterSnapshot {
  const out: Record<string, unknown[]> = {};
  for (const part of parts) {
    for (const [kind, list] of Object.entries(part) as Array<[string, unknown[] | undefined]>) {
      if (kind === 'nodes') out[kind] = list ?? [];
      else out[kind] = [...(out[kind] ?? []), ...(list ?? [])];
    }
  }
  return out as ClusterSnapshot;
}

/** This replica's lease identity: the pod name in Kubernetes (HOSTNAME), plus the pid so two local engines differ. */
export const defaultRepairIdentity = (): string => `${process.env['HOSTNAME'] ?? hostname()}-${process.pid}`;
