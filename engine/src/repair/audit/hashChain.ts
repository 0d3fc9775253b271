import { createHash } from 'node:crypto';
import { EngineError, fieldIssuesFromZod } from '../../errors.js';
import {
  GENESIS_HASH,
  auditEntrySchema,
  auditRecordSchema,
  type AuditEntry,
  type AuditQuery,
  type AuditRecord,
  type AuditVerification,
} from './AuditLog.js';

/**
 * Canonical JSON: keys sorted, `undefined` dropped, no whitespace. Audit data is plain JSON (strings, finite numbers,
 * booleans, null, arrays, objects), for which this is RFC 8785's form; written here because no canonical-JSON
 * package is a dependency and pulling one in for ten lines was not worth it.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The hash of a record: sha256 over its canonical JSON without the `hash` field (prevHash and seq included). */
export function hashOf(record: Omit<AuditRecord, 'hash'>): string {
  return sha256(canonicalJson(record));
}

/** Validates an entry and links it after `prev` (or as the first record). */
export function chainEntry(entry: AuditEntry, prev: { seq: number; hash: string } | undefined): AuditRecord {
  const parsed = auditEntrySchema.safeParse(entry);
  if (!parsed.success) {
    throw new EngineError('INVALID_INPUT', 'invalid audit entry', {
      issues: fieldIssuesFromZod(parsed.error.issues, 'entry'),
    });
  }
  // A JSON round trip drops undefined and non-JSON values, so what is hashed is exactly what is stored and re-read.
  const body = JSON.parse(JSON.stringify(parsed.data)) as typeof parsed.data;
  const unsigned = { ...body, seq: (prev?.seq ?? 0) + 1, prevHash: prev?.hash ?? GENESIS_HASH };
  return { ...unsigned, hash: hashOf(unsigned) };
}

/** Walks records in order; the first one whose seq, link or hash does not fit breaks the chain. */
export function verifyChain(records: unknown[], head?: { seq: number; hash: string }): AuditVerification {
  let prevHash = GENESIS_HASH;
  let seq = 0;
  for (const raw of records) {
    const parsed = auditRecordSchema.safeParse(raw);
    const at = (raw as { seq?: number } | null)?.seq ?? seq + 1;
    if (!parsed.success) return broken(seq, prevHash, at, 'record does not parse');
    const { hash, ...unsigned } = parsed.data;
    if (unsigned.seq !== seq + 1) return broken(seq, prevHash, seq + 1, `record ${seq + 1} is missing`);
    if (unsigned.prevHash !== prevHash) return broken(seq, prevHash, unsigned.seq, 'prevHash does not match');
    if (hashOf(unsigned) !== hash)
      return broken(seq, prevHash, unsigned.seq, 'content does not match its hash');
    prevHash = hash;
    seq = unsigned.seq;
  }
  if (head && (head.seq !== seq || head.hash !== prevHash)) {
    return broken(seq, prevHash, seq + 1, `records after ${seq} are missing (head is at ${head.seq})`);
  }
  return { ok: true, records: seq, headHash: prevHash };
}

function broken(records: number, headHash: string, seq: number, reason: string): AuditVerification {
  return { ok: false, records, headHash, brokenAt: { seq, reason } };
}

/** The query filter shared by both logs. */
export function matchesQuery(record: AuditRecord, query: AuditQuery): boolean {
  if (query.namespace !== undefined && record.target.namespace !== query.namespace) return false;
  if (query.name !== undefined && record.target.name !== query.name) return false;
  if (query.kind !== undefined && record.target.kind !== query.kind) return false;
  if (query.actionId !== undefined && record.actionId !== query.actionId) return false;
  const at = Date.parse(record.at);
  if (query.since !== undefined && at < Date.parse(query.since)) return false;
  if (query.until !== undefined && at > Date.parse(query.until)) return false;
  return true;
}

export const DEFAULT_QUERY_LIMIT = 500;
