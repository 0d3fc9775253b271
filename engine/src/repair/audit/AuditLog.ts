import { z } from 'zod';

/**
 * The repair audit trail: append-only, every record hash-chained to the one before it (sha256 over the record's
 * canonical JSON, which includes the previous record's hash). Editing, deleting or reordering any record breaks the
 * chain from that point on, and `verify()` names the first record that no longer fits.
 */

export const AUDIT_KINDS = [
  'finding',
  'planned',
  'skipped',
  'dry-run',
  'approval-requested',
  'approved',
  'rejected',
  'recheck',
  'applied',
  'verified',
  'rolled-back',
  'escalated',
  'failed',
  'unknown',
  'shadow-outcome',
  'kill-switch',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export const auditTargetSchema = z.object({
  kind: z.string().min(1),
  namespace: z.string().optional(),
  name: z.string().min(1),
});
export type AuditTarget = z.infer<typeof auditTargetSchema>;

export const auditEntrySchema = z.object({
  kind: z.enum(AUDIT_KINDS),
  /** ISO-8601 time the step happened. */
  at: z.string(),
  /** The action this step belongs to (absent for findings seen without an action, or kill-switch changes). */
  actionId: z.string().optional(),
  target: auditTargetSchema,
  rule: z.object({ id: z.string(), version: z.string() }).optional(),
  /** sha256 of what a model was asked and what it answered, when one was asked. */
  model: z.object({ inputHash: z.string(), outputHash: z.string() }).optional(),
  /** Who did it: an approver's token name, or `engine:<identity>` for the engine. */
  actor: z.string().optional(),
  /** Step details: finding + evidence, dry-run result + diff, applied patch, verification, rollback. */
  data: z.record(z.string(), z.unknown()).default({}),
});
export type AuditEntry = z.input<typeof auditEntrySchema>;

export const auditRecordSchema = auditEntrySchema.extend({
  /** 1, 2, 3, ... with no gaps: a deleted record shows as a gap. */
  seq: z.number().int().positive(),
  /** The previous record's hash; GENESIS_HASH for the first. */
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export interface AuditQuery {
  namespace?: string;
  /** Matches the target's name (a workload, node or pod). */
  name?: string;
  kind?: string;
  actionId?: string;
  /** ISO-8601 bounds on `at`, inclusive. */
  since?: string;
  until?: string;
  /** Newest records up to this many (default 500). */
  limit?: number;
}

export interface AuditVerification {
  ok: boolean;
  records: number;
  /** The chain's last hash, to compare against a copy kept elsewhere. */
  headHash: string;
  /** The first record that does not fit, and why. */
  brokenAt?: { seq: number; reason: string };
}

export interface AuditLog {
  readonly kind: 'memory' | 'redis';
  append(entry: AuditEntry): Promise<AuditRecord>;
  query(query?: AuditQuery): Promise<AuditRecord[]>;
  verify(): Promise<AuditVerification>;
}

export const GENESIS_HASH = '0'.repeat(64);
