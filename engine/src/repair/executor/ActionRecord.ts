import type { ActionPlan } from '../actions/RepairAction.js';
import type { Finding, PlannedAction, VerifySpec } from '../types.js';
import type { DiffEntry } from './diffObjects.js';

/**
 * Where an action stands. Open states are advanced by the executor's tick; the others are final.
 * `applying` is written before the first write and `verifying` after the last, so a restart in between is seen.
 */
export const OPEN_STATES = [
  'pending',
  'awaiting-approval',
  'approved',
  'applying',
  'verifying',
  'recommended',
] as const;
export const FINAL_STATES = [
  'observed',
  'denied',
  'dry-run-failed',
  'rejected',
  'expired',
  'stopped',
  'cleared',
  'persisted',
  'notified',
  'verified',
  'rolled-back',
  'failed',
  'unknown',
] as const;
export type ActionState = (typeof OPEN_STATES)[number] | (typeof FINAL_STATES)[number];

export interface Approval {
  requestedAt: string;
  expiresAt: string;
  decision?: 'approved' | 'rejected';
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
}

export interface Verification {
  startedAt: string;
  deadline: string;
  lastCheckAt?: string;
  /** When checks began passing without a break; verified once `for` seconds have passed since. */
  passingSince?: string;
  failures: number;
  lastResult: CheckResult[];
  /** Ready pods of the target before the change: fewer afterwards counts as "worse". */
  baselineReady?: number;
}

export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
  /** A failure that means health got worse (not merely "not recovered yet"). */
  worse?: boolean;
}

export interface ActionRecord {
  id: string;
  state: ActionState;
  planned: PlannedAction;
  finding: Finding;
  verify?: VerifySpec;
  createdAt: string;
  updatedAt: string;
  /** Which engine replica last moved it. */
  actor?: string;
  plan?: ActionPlan;
  /** The target as it was before the change (resourceVersion included). */
  preState?: Record<string, unknown>;
  dryRun?: { ok: boolean; diff: DiffEntry[]; error?: string; at: string };
  approval?: Approval;
  applied?: { at: string; resourceVersions: string[]; requests: number };
  /** Approved, and the finding was gone at the re-check since then: dropped if it stays gone (RepairExecutor). */
  clearSince?: string;
  verification?: Verification;
  rollback?: { at: string; ok: boolean; error?: string };
  /** Why an action stopped where it did. */
  reason?: string;
}

export const isOpen = (record: ActionRecord): boolean =>
  (OPEN_STATES as readonly string[]).includes(record.state);
