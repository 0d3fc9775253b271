import { randomUUID } from 'node:crypto';
import { EngineError, isEngineError } from '../../errors.js';
import type { MetricsSource } from '../../sources/metrics/MetricsSource.js';
import { actionFor } from '../actions/index.js';
import type { ActionPlan, KubeRequest } from '../actions/RepairAction.js';
import { kubeRef } from '../actions/snapshotLookup.js';
import type { AuditEntry, AuditLog } from '../audit/AuditLog.js';
import { canonicalJson } from '../audit/hashChain.js';
import type { ClusterSnapshot, Finding, PlannedAction, VerifySpec } from '../types.js';
import { isOpen, type ActionRecord, type ActionState, type CheckResult } from './ActionRecord.js';
import type { ActionStore } from './ActionStore.js';
import type { ClusterReader, ClusterWriter } from './ClusterActuator.js';
import { diffObjects } from './diffObjects.js';
import { redactDiff } from './actionView.js';
import { NotLeaderError } from './leaseFence.js';
import { healthWorkload, kubernetesChecks, readyPods } from './verifyChecks.js';

export interface ExecutorSettings {
  /** Seconds an approval request stays valid. */
  approvalTtlSeconds: number;
  /** The loop breaker: at most `maxActions` writes to one target within `windowSeconds`. */
  loopBreaker: { maxActions: number; windowSeconds: number };
  /** How long a shadow (recommend) action is watched for the condition clearing by itself. */
  shadowHorizonSeconds: number;
}

export interface RepairNotification {
  kind: 'notify' | 'escalation';
  actionId: string;
  target: PlannedAction['target'];
  message: string;
}

export interface RepairEvent {
  type: 'action';
  action: ActionRecord;
}

export interface ExecutorDeps {
  reader: ClusterReader;
  writer: ClusterWriter;
  actions: ActionStore;
  audit: AuditLog;
  /** Throws unless this replica may write now; called before every write (the lease is the fence). */
  fence(): Promise<void>;
  /** True while the kill switch (config or API) is on: nothing new is written. */
  killSwitch(): Promise<boolean>;
  /** Whether the finding still holds in a snapshot (the detectors' fingerprint match). */
  stillHolds(finding: Finding, snapshot: ClusterSnapshot): boolean;
  metrics?: Pick<MetricsSource, 'instantQuery'>;
  notify?(notification: RepairNotification): void | Promise<void>;
  onEvent?(event: RepairEvent): void;
  settings: ExecutorSettings;
  /** This replica, recorded as the actor of engine steps. */
  identity: string;
  now?: () => Date;
}

/**
 * How long a finding must stay gone before an approved action is dropped unapplied: covers a crash loop's first
 * back-offs and the runs between them (10 s + 20 s, and a minute or so of running each time).
 */
const RECHECK_CLEAR_SECONDS = 120;

/** Verification when a rule names none: the condition must clear and stay cleared for 5 minutes within 15. */
const DEFAULT_VERIFY: VerifySpec = { kubernetes: [], interval: 30, for: 300, failures: 2, deadline: 900 };

/**
 * ACT: carries a planned action through snapshot → dry-run (+diff) → approval → re-check → apply (with
 * resourceVersion preconditions, fenced) → verify → automatic rollback and escalation. Every step is saved before
 * the next begins and written to the audit log, so a restarted engine resumes (or marks unknown) what was in flight.
 * Actions come from the catalog by type: the executor never knows one by name.
 */
export class RepairExecutor {
  private readonly now: () => Date;
  private ticking = false;

  constructor(private readonly deps: ExecutorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Accepts a planned action; a finding that already has an open action gets that one back. */
  async submit(planned: PlannedAction, finding: Finding, verify?: VerifySpec): Promise<ActionRecord> {
    // One open action per finding and type; a change to an object (not a notification) also once per target, since
    // two findings on one workload (CrashLoopBackOff, RolloutStuck) ask for the same rollback.
    const sameTarget = (r: ActionRecord) =>
      planned.type !== 'notify' &&
      targetKey(r) === `${planned.target.kind}/${planned.target.namespace}/${planned.target.name}`;
    const open = (await this.deps.actions.list({ open: true })).find(
      (r) =>
        isOpen(r) &&
        r.planned.type === planned.type &&
        (r.finding.fingerprint === finding.fingerprint || sameTarget(r)),
    );
    if (open) return open;
    const at = this.now().toISOString();
    const record: ActionRecord = {
      id: randomUUID(),
      state: 'pending',
      planned,
      finding,
      ...(verify ? { verify } : {}),
      createdAt: at,
      updatedAt: at,
    };
    await this.save(record);
    await this.audit(record, 'finding', { finding });
    return record;
  }

  /** Moves every open action one step; runs one at a time per replica. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      // The open index: a tick reads the actions it may move, not every finished one kept for a week.
      for (const record of await this.deps.actions.list({ open: true })) {
        if (isOpen(record)) await this.advance(record);
      }
    } finally {
      this.ticking = false;
    }
  }

  async advance(record: ActionRecord): Promise<ActionRecord> {
    try {
      switch (record.state) {
        case 'pending':
          return await this.prepare(record);
        case 'awaiting-approval':
          return await this.expireIfDue(record);
        case 'approved':
          return await this.apply(record);
        case 'applying':
          return await this.recoverApplying(record);
        case 'verifying':
          return await this.verify(record);
        case 'recommended':
          return await this.followShadow(record);
        default:
          return record;
      }
    } catch (error) {
      return this.fail(record, error);
    }
  }

  async approve(id: string, by: string, comment?: string): Promise<ActionRecord> {
    return this.decide(id, by, 'approved', comment);
  }

  async reject(id: string, by: string, comment?: string): Promise<ActionRecord> {
    return this.decide(id, by, 'rejected', comment);
  }

  /** On start: actions caught mid-write are re-checked; verification of the others resumes on the next tick. */
  async recover(): Promise<ActionRecord[]> {
    const inFlight = (await this.deps.actions.list({ open: true })).filter((r) => r.state === 'applying');
    const out: ActionRecord[] = [];
    for (const record of inFlight) out.push(await this.advance(record));
    return out;
  }

  // ---- steps -------------------------------------------------------------------------------------------------

  /** pending → observed | denied | recommended | dry-run-failed | awaiting-approval | approved. */
  private async prepare(record: ActionRecord): Promise<ActionRecord> {
    if (await this.deps.killSwitch()) return this.stop(record, 'the kill switch is on');
    const { mode } = record.planned;
    if (mode === 'observe')
      return this.move(record, 'observed', 'skipped', { reason: 'mode observe: recorded only' });
    const snapshot = await this.deps.reader.snapshot(
      record.planned.target.namespace || record.finding.object.namespace,
    );
    const plan = await this.planFrom(record, snapshot);
    if (!plan) return this.saved(record);
    record.plan = plan;
    record.preState = await this.preStateOf(record);
    if (mode === 'recommend') {
      return this.move(record, 'recommended', 'planned', { plan: planForAudit(plan), shadow: true });
    }
    if (await this.loopBroken(record)) return this.saved(record);
    if (!(await this.dryRun(record, plan))) return this.saved(record);
    if (mode === 'approve') {
      const expiresAt = new Date(
        this.now().getTime() + this.deps.settings.approvalTtlSeconds * 1000,
      ).toISOString();
      record.approval = { requestedAt: this.now().toISOString(), expiresAt };
      return this.move(record, 'awaiting-approval', 'approval-requested', { expiresAt });
    }
    return this.move(record, 'approved', 'approved', { by: 'policy', mode: 'auto' });
  }

  /** The action's plan, or the record moved to `denied` (unsafe, invalid params, target gone). */
  private async planFrom(record: ActionRecord, snapshot: ClusterSnapshot): Promise<ActionPlan | undefined> {
    try {
      const action = actionFor(record.planned.type);
      return action.plan(record.planned.target, action.validate(record.planned.params), snapshot);
    } catch (error) {
      if (!isEngineError(error) || !['POLICY_DENIED', 'INVALID_INPUT', 'NOT_FOUND'].includes(error.code))
        throw error;
      record.state = 'denied';
      record.reason = error.message;
      await this.audit(record, 'skipped', { reason: error.message, code: error.code });
      return undefined;
    }
  }

  private async preStateOf(record: ActionRecord): Promise<Record<string, unknown> | undefined> {
    if (!record.plan?.requests.length) return undefined;
    return this.deps.reader.read(record.plan.requests[0]!.ref);
  }

  /**
   * The finding was gone at the re-check: the action is dropped only once it has stayed gone for
   * RECHECK_CLEAR_SECONDS, as verification wants a fix to hold. A crash loop early on (one or two restarts, below
   * the detector's three) shows Running between the kubelet's back-offs (10 s, then 20 s): one snapshot taken then
   * cleared an approved rollback, and the next scan planned the same rollback again.
   */
  private async clearedBeforeChange(record: ActionRecord): Promise<ActionRecord> {
    const now = this.now();
    if (!record.clearSince) {
      record.clearSince = now.toISOString();
      await this.audit(record, 'recheck', { holds: false, waitSeconds: RECHECK_CLEAR_SECONDS });
      return this.saved(record);
    }
    if (now.getTime() - Date.parse(record.clearSince) < RECHECK_CLEAR_SECONDS * 1000) return record;
    return this.move(record, 'cleared', 'skipped', {
      reason: `the condition cleared before the change and stayed cleared for ${RECHECK_CLEAR_SECONDS}s`,
    });
  }

  /** Server-side dry-run of every request; false (and the record moved) when the API server refuses one. */
  private async dryRun(record: ActionRecord, plan: ActionPlan): Promise<boolean> {
    const at = this.now().toISOString();
    try {
      const results: Array<Record<string, unknown> | undefined> = [];
      for (const request of plan.requests) {
        await this.deps.fence();
        results.push(await this.deps.writer.send(request, { dryRun: true }));
      }
      const first = plan.requests[0];
      const diff =
        first?.verb === 'patch'
          ? diffObjects(record.preState, results[0])
          : plan.requests.map((r) => ({ path: `${r.verb} ${r.ref.kind}/${r.ref.namespace}/${r.ref.name}` }));
      record.dryRun = { ok: true, diff, at };
      // The audit trail is read by viewers: its copy of the diff has env values masked (the record keeps them to
      // tell after a restart whether the change landed).
      await this.audit(record, 'dry-run', {
        ok: true,
        diff: redactDiff(diff),
        requests: plan.requests.length,
      });
      return true;
    } catch (error) {
      if (error instanceof NotLeaderError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      record.dryRun = { ok: false, diff: [], error: message, at };
      record.state = 'dry-run-failed';
      record.reason = `dry-run refused: ${message}`;
      await this.audit(record, 'dry-run', { ok: false, error: message });
      await this.escalate(record, record.reason);
      return false;
    }
  }

  private async expireIfDue(record: ActionRecord): Promise<ActionRecord> {
    if (!record.approval || Date.parse(record.approval.expiresAt) > this.now().getTime()) return record;
    record.reason = `approval not given before ${record.approval.expiresAt}`;
    return this.move(record, 'expired', 'skipped', { reason: record.reason });
  }

  private async decide(
    id: string,
    by: string,
    decision: 'approved' | 'rejected',
    comment?: string,
  ): Promise<ActionRecord> {
    const record = await this.deps.actions.require(id);
    if (record.state === 'awaiting-approval') await this.expireIfDue(record);
    if (record.state === 'expired')
      throw new EngineError(
        'CONFLICT',
        `the approval of action ${id} expired at ${record.approval?.expiresAt}`,
      );
    if (record.state !== 'awaiting-approval')
      throw new EngineError('CONFLICT', `action ${id} is ${record.state}, not awaiting approval`);
    // Single use across replicas: the first decision claims the marker, any later one is refused.
    if (!(await this.deps.actions.claimDecision(id, this.deps.settings.approvalTtlSeconds * 2))) {
      throw new EngineError('CONFLICT', `action ${id} was already decided`);
    }
    const at = this.now().toISOString();
    record.approval = {
      ...record.approval!,
      decision,
      decidedBy: by,
      decidedAt: at,
      ...(comment ? { comment } : {}),
    };
    const state: ActionState = decision === 'approved' ? 'approved' : 'rejected';
    if (decision === 'rejected') record.reason = `rejected by ${by}`;
    return this.move(record, state, decision, { by, comment }, by);
  }

  /** approved → cleared | stopped | notified | verifying (or failed, with the applied part undone). */
  private async apply(record: ActionRecord): Promise<ActionRecord> {
    if (await this.deps.killSwitch()) return this.stop(record, 'the kill switch is on');
    const snapshot = await this.deps.reader.snapshot(
      record.planned.target.namespace || record.finding.object.namespace,
    );
    const holds = this.deps.stillHolds(record.finding, snapshot);
    if (!holds) return this.clearedBeforeChange(record);
    delete record.clearSince;
    await this.audit(record, 'recheck', { holds });
    if (await this.loopBroken(record)) return this.saved(record);
    const plan = await this.planFrom(record, snapshot);
    if (!plan) return this.saved(record);
    if (
      canonicalJson(stripVersions(plan.requests)) !==
      canonicalJson(stripVersions(record.plan?.requests ?? []))
    ) {
      return this.stop(record, 'the change it would make now differs from the one dry-run and approved');
    }
    if (plan.requests.length === 0) return this.notifyOnly(record);
    record.plan = plan;
    record.state = 'applying';
    record.verification = this.startVerification(record, snapshot);
    await this.save(record);
    return this.write(record, plan);
  }

  private async write(record: ActionRecord, plan: ActionPlan): Promise<ActionRecord> {
    const resourceVersions: string[] = [];
    for (const [i, request] of plan.requests.entries()) {
      try {
        await this.deps.fence();
        const result = await this.deps.writer.send(request, { dryRun: false });
        resourceVersions.push(
          String((result?.['metadata'] as { resourceVersion?: string } | undefined)?.resourceVersion ?? ''),
        );
      } catch (error) {
        if (error instanceof NotLeaderError && i === 0) throw error;
        const message = error instanceof Error ? error.message : String(error);
        await this.audit(record, 'failed', { step: i, request: request.description, error: message });
        if (i > 0)
          return this.rollBack(record, `write ${i + 1} of ${plan.requests.length} failed: ${message}`);
        return this.finish(record, 'failed', `apply refused: ${message}`);
      }
    }
    await this.deps.actions.touch(
      targetKey(record),
      this.now(),
      this.deps.settings.loopBreaker.windowSeconds,
    );
    record.applied = { at: this.now().toISOString(), resourceVersions, requests: plan.requests.length };
    return this.move(record, 'verifying', 'applied', {
      requests: plan.requests.map((r) => ({
        description: r.description,
        verb: r.verb,
        ref: r.ref,
        ...(r.verb === 'patch' ? { patchType: r.patchType, patch: r.body } : {}),
        resourceVersion: r.resourceVersion,
      })),
      resourceVersions,
    });
  }

  private async notifyOnly(record: ActionRecord): Promise<ActionRecord> {
    const message = `${record.finding.type} on ${record.finding.object.kind} ${record.finding.object.namespace}/${record.finding.object.name}: ${record.finding.message}`;
    await this.deps.notify?.({ kind: 'notify', actionId: record.id, target: record.planned.target, message });
    // Carried out, with nothing written: recorded as applied so the planner's cooldown holds the next notification
    // of the same target back. Without it, in approve mode (where a notification is final at once, not an open
    // recommendation) every scan notified again, about every 9 s in the demo.
    record.applied = { at: this.now().toISOString(), resourceVersions: [], requests: 0 };
    return this.move(record, 'notified', 'applied', { notified: message });
  }

  private startVerification(record: ActionRecord, snapshot: ClusterSnapshot) {
    const spec = record.verify ?? DEFAULT_VERIFY;
    const now = this.now();
    const baselineReady = readyPods(snapshot, healthWorkload(record, snapshot));
    return {
      startedAt: now.toISOString(),
      deadline: new Date(now.getTime() + spec.deadline * 1000).toISOString(),
      failures: 0,
      lastResult: [],
      ...(baselineReady !== undefined ? { baselineReady } : {}),
    };
  }

  /** verifying → verified | rolled-back (worse, or not recovered by the deadline). */
  private async verify(record: ActionRecord): Promise<ActionRecord> {
    const spec = record.verify ?? DEFAULT_VERIFY;
    const v = record.verification!;
    const now = this.now();
    if (v.lastCheckAt && now.getTime() - Date.parse(v.lastCheckAt) < spec.interval * 1000) return record;
    const snapshot = await this.deps.reader.snapshot(
      record.planned.target.namespace || record.finding.object.namespace,
    );
    // The rule's Kubernetes checks say what recovery means (a cordoned node stays NotReady); without any, the finding must clear.
    const cleared = spec.kubernetes.length === 0 ? [this.clearedCheck(record, snapshot)] : [];
    const results = [...kubernetesChecks(snapshot, record), ...cleared, ...(await this.promqlCheck(spec))];
    v.lastCheckAt = now.toISOString();
    v.lastResult = results;
    if (results.every((r) => r.ok)) {
      v.passingSince ??= now.toISOString();
      if (now.getTime() - Date.parse(v.passingSince) >= spec.for * 1000) {
        return this.move(record, 'verified', 'verified', { checks: results, heldSince: v.passingSince });
      }
      return this.saved(record);
    }
    delete v.passingSince;
    if (results.some((r) => r.worse)) v.failures += 1;
    if (v.failures > spec.failures) return this.rollBack(record, `health got worse: ${failed(results)}`);
    if (now.getTime() > Date.parse(v.deadline))
      return this.rollBack(record, `not recovered by the deadline: ${failed(results)}`);
    return this.saved(record);
  }

  private clearedCheck(record: ActionRecord, snapshot: ClusterSnapshot): CheckResult {
    const holds = this.deps.stillHolds(record.finding, snapshot);
    return {
      check: `${record.finding.type} cleared`,
      ok: !holds,
      detail: holds ? 'the finding still holds' : 'the finding is gone',
    };
  }

  /** The rule's PromQL must return a non-empty result; with no metrics source configured it cannot pass. */
  private async promqlCheck(spec: VerifySpec): Promise<CheckResult[]> {
    if (!spec.promql) return [];
    if (!this.deps.metrics)
      return [{ check: 'promql', ok: false, detail: 'no metrics source to evaluate the PromQL' }];
    try {
      const samples = await this.deps.metrics.instantQuery(spec.promql, this.now().getTime() / 1000);
      return [
        { check: 'promql', ok: samples.length > 0, detail: `${samples.length} series match ${spec.promql}` },
      ];
    } catch (error) {
      return [{ check: 'promql', ok: false, detail: error instanceof Error ? error.message : String(error) }];
    }
  }

  /** Undoes the change (each reverse request with the resourceVersion read just before it), then escalates. */
  private async rollBack(record: ActionRecord, why: string): Promise<ActionRecord> {
    const plan = record.plan;
    if (!plan?.reversible || plan.reverse.length === 0) {
      await this.escalate(record, `${why}; the change cannot be undone automatically`);
      return this.finish(record, 'failed', why);
    }
    try {
      for (const request of plan.reverse) {
        await this.deps.fence();
        const current = await this.deps.reader.read(request.ref);
        const resourceVersion = (current?.['metadata'] as { resourceVersion?: string } | undefined)
          ?.resourceVersion;
        await this.deps.writer.send(
          { ...request, ...(resourceVersion ? { resourceVersion } : {}) },
          { dryRun: false },
        );
      }
      record.rollback = { at: this.now().toISOString(), ok: true };
      await this.audit(record, 'rolled-back', { why, reverse: plan.reverse.map((r) => r.description) });
      await this.escalate(record, `${why}; rolled back`);
      return this.finish(record, 'rolled-back', why);
    } catch (error) {
      if (error instanceof NotLeaderError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      record.rollback = { at: this.now().toISOString(), ok: false, error: message };
      await this.audit(record, 'rolled-back', { why, ok: false, error: message });
      await this.escalate(record, `${why}; rollback failed: ${message}`);
      return this.finish(record, 'failed', `${why}; rollback failed: ${message}`);
    }
  }

  /**
   * A restart caught the action between "applying" and "verifying": compare the target with the dry-run's diff.
   * Every changed path as the dry-run said → it landed, verify it; every path as before → it did not, re-check and
   * apply again; anything else → unknown, escalated for a person.
   */
  private async recoverApplying(record: ActionRecord): Promise<ActionRecord> {
    const first = record.plan?.requests[0];
    const current = first ? await this.deps.reader.read(first.ref) : undefined;
    const changes = (record.dryRun?.diff ?? []).filter((d) => d.path.startsWith('/'));
    const at = (obj: unknown, path: string) =>
      path
        .split('/')
        .slice(1)
        .reduce<unknown>(
          (o, k) => (o as Record<string, unknown> | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')],
          obj,
        );
    const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
    if (
      first?.verb === 'patch' &&
      changes.length &&
      changes.every((d) => same(at(current, d.path), d.after))
    ) {
      record.applied = {
        at: this.now().toISOString(),
        resourceVersions: [],
        requests: record.plan!.requests.length,
      };
      record.verification ??= this.startVerification(
        record,
        await this.deps.reader.snapshot(record.planned.target.namespace),
      );
      return this.move(record, 'verifying', 'recheck', {
        resumed: 'the change had landed before the restart; verifying',
      });
    }
    if (
      first?.verb === 'patch' &&
      changes.length &&
      changes.every((d) => same(at(current, d.path), d.before))
    ) {
      return this.move(record, 'approved', 'recheck', {
        resumed: 'the change had not landed before the restart; applying again after a re-check',
      });
    }
    await this.escalate(record, 'the engine restarted while applying and the outcome cannot be told');
    return this.finish(record, 'unknown', 'restart mid-action; outcome unknown');
  }

  /** Shadow mode: did the condition clear by itself within the horizon? */
  private async followShadow(record: ActionRecord): Promise<ActionRecord> {
    const snapshot = await this.deps.reader.snapshot(
      record.planned.target.namespace || record.finding.object.namespace,
    );
    const age = (this.now().getTime() - Date.parse(record.createdAt)) / 1000;
    if (!this.deps.stillHolds(record.finding, snapshot)) {
      return this.move(record, 'cleared', 'shadow-outcome', {
        clearedByItself: true,
        afterSeconds: Math.round(age),
      });
    }
    if (age < this.deps.settings.shadowHorizonSeconds) return record;
    return this.move(record, 'persisted', 'shadow-outcome', {
      clearedByItself: false,
      afterSeconds: Math.round(age),
    });
  }

  private async loopBroken(record: ActionRecord): Promise<boolean> {
    const { maxActions, windowSeconds } = this.deps.settings.loopBreaker;
    const touches = await this.deps.actions.touches(targetKey(record), this.now(), windowSeconds);
    if (touches < maxActions) return false;
    record.state = 'stopped';
    record.reason = `loop breaker: ${touches} changes to ${targetKey(record)} in the last ${windowSeconds}s`;
    await this.audit(record, 'skipped', { reason: record.reason });
    await this.escalate(record, record.reason);
    return true;
  }

  // ---- bookkeeping -------------------------------------------------------------------------------------------

  private async stop(record: ActionRecord, reason: string): Promise<ActionRecord> {
    return this.finish(record, 'stopped', reason);
  }

  private async finish(record: ActionRecord, state: ActionState, reason: string): Promise<ActionRecord> {
    record.reason = reason;
    return this.move(record, state, state === 'failed' || state === 'unknown' ? state : 'skipped', {
      reason,
    });
  }

  private async fail(record: ActionRecord, error: unknown): Promise<ActionRecord> {
    // Lost the lease mid-step: leave the record as saved for the replica that leads now.
    if (error instanceof NotLeaderError) return record;
    const message = error instanceof Error ? error.message : String(error);
    if (record.state === 'applying') {
      // A write may have landed: keep it `applying` so recovery compares the cluster with the dry-run.
      await this.audit(record, 'failed', { error: message, state: record.state });
      return record;
    }
    await this.escalate(record, message);
    return this.finish(record, 'failed', message);
  }

  private async escalate(record: ActionRecord, message: string): Promise<void> {
    await this.deps.notify?.({
      kind: 'escalation',
      actionId: record.id,
      target: record.planned.target,
      message,
    });
    await this.audit(record, 'escalated', { message });
  }

  private async move(
    record: ActionRecord,
    state: ActionState,
    kind: AuditEntry['kind'],
    data: Record<string, unknown>,
    actor?: string,
  ): Promise<ActionRecord> {
    record.state = state;
    await this.save(record);
    await this.audit(record, kind, data, actor);
    return record;
  }

  private async saved(record: ActionRecord): Promise<ActionRecord> {
    await this.save(record);
    return record;
  }

  private async save(record: ActionRecord): Promise<void> {
    record.updatedAt = this.now().toISOString();
    record.actor = this.deps.identity;
    await this.deps.actions.save(record);
    this.deps.onEvent?.({ type: 'action', action: record });
  }

  private async audit(
    record: ActionRecord,
    kind: AuditEntry['kind'],
    data: Record<string, unknown>,
    actor?: string,
  ): Promise<void> {
    const { target } = record.planned;
    await this.deps.audit.append({
      kind,
      at: this.now().toISOString(),
      actionId: record.id,
      target: { kind: target.kind, namespace: target.namespace, name: target.name },
      rule: { id: record.planned.ruleId, version: String(record.planned.ruleVersion) },
      ...(record.planned.model
        ? {
            model: { inputHash: record.planned.model.inputHash, outputHash: record.planned.model.outputHash },
          }
        : {}),
      actor: actor ?? `engine:${this.deps.identity}`,
      data: {
        action: record.planned.type,
        mode: record.planned.mode,
        state: record.state,
        ...(record.planned.source ? { source: record.planned.source } : {}),
        ...(record.planned.model ? { modelDecision: record.planned.model.decision } : {}),
        ...data,
      },
    });
  }
}

const targetKey = (record: ActionRecord): string => {
  const t = record.planned.target;
  return `${t.kind}/${t.namespace}/${t.name}`;
};

const failed = (results: CheckResult[]): string =>
  results
    .filter((r) => !r.ok)
    .map((r) => `${r.check} (${r.detail})`)
    .join('; ');

/** Requests without their preconditions and timestamps: what must not change between approval and apply. */
function stripVersions(requests: KubeRequest[]): unknown {
  return requests.map((r) => {
    const { resourceVersion: _rv, ...rest } = r as KubeRequest & { uid?: string };
    const body =
      r.verb === 'patch'
        ? JSON.parse(
            JSON.stringify(r.body).replace(
              /"kubectl.kubernetes.io\/restartedAt":"[^"]*"/g,
              '"restartedAt":""',
            ),
          )
        : undefined;
    return {
      ...rest,
      ...(body ? { body } : {}),
      ref: kubeRef({ kind: r.ref.kind, namespace: r.ref.namespace, name: r.ref.name }),
    };
  });
}

const planForAudit = (plan: ActionPlan) => ({
  summary: plan.summary,
  reversible: plan.reversible,
  requests: plan.requests.map((r) => r.description),
  details: plan.details,
});
