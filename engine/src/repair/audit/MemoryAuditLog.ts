import type { AuditEntry, AuditLog, AuditQuery, AuditRecord, AuditVerification } from './AuditLog.js';
import { DEFAULT_QUERY_LIMIT, chainEntry, matchesQuery, verifyChain } from './hashChain.js';

/** The audit trail in process memory (demo profile, tests). Records are stored as JSON text, as Redis stores them. */
export class MemoryAuditLog implements AuditLog {
  readonly kind = 'memory' as const;
  /** Exposed so tests can tamper with a record the way someone with memory access could. */
  readonly lines: string[] = [];
  private head: { seq: number; hash: string } | undefined;

  async append(entry: AuditEntry): Promise<AuditRecord> {
    const record = chainEntry(entry, this.head);
    this.lines.push(JSON.stringify(record));
    this.head = { seq: record.seq, hash: record.hash };
    return record;
  }

  async query(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const all = this.lines.map((l) => JSON.parse(l) as AuditRecord).filter((r) => matchesQuery(r, query));
    return all.slice(-(query.limit ?? DEFAULT_QUERY_LIMIT));
  }

  async verify(): Promise<AuditVerification> {
    return verifyChain(
      this.lines.map((l) => JSON.parse(l) as unknown),
      this.head,
    );
  }
}
