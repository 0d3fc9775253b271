import type { Redis } from 'ioredis';
import { EngineError } from '../../errors.js';
import type { AuditEntry, AuditLog, AuditQuery, AuditRecord, AuditVerification } from './AuditLog.js';
import { DEFAULT_QUERY_LIMIT, chainEntry, matchesQuery, verifyChain } from './hashChain.js';

export interface RedisAuditLogOptions {
  client: Redis;
  /** Full Redis key of the stream (the store's key prefix included); the head lives at `<key>:head`. */
  key: string;
  /** Appends retried when another replica appended between our read of the head and our write. */
  maxAttempts?: number;
}

/**
 * The stream id's time is the record's `at` when that is later than the last id, else Redis' next id: ids are
 * monotonic and never earlier than `at`, so a time query can start the XRANGE at `since` and skip older entries.
 * Appends only if the head is still the one the record was chained to, then moves the head: one atomic step, so two
 * replicas appending at once never fork the chain (the loser re-reads the head and chains again).
 */
const APPEND = `
local head = redis.call('GET', KEYS[2]) or ''
if head ~= ARGV[1] then return {0, head} end
local ok, id = pcall(redis.call, 'XADD', KEYS[1], ARGV[4] .. '-*', 'r', ARGV[3])
if not ok then id = redis.call('XADD', KEYS[1], '*', 'r', ARGV[3]) end
redis.call('SET', KEYS[2], ARGV[2])
return {1, id}
`;

const PAGE = 1_000;

/** The audit trail as a Redis stream (XADD / XRANGE) shared by every engine replica. */
export class RedisAuditLog implements AuditLog {
  readonly kind = 'redis' as const;
  private readonly client: Redis;
  private readonly key: string;
  private readonly headKey: string;
  private readonly maxAttempts: number;

  constructor(options: RedisAuditLogOptions) {
    this.client = options.client;
    this.key = options.key;
    this.headKey = `${options.key}:head`;
    this.maxAttempts = options.maxAttempts ?? 20;
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const headText = (await this.client.get(this.headKey)) ?? '';
      const record = chainEntry(entry, parseHead(headText));
      const head = `${record.seq}:${record.hash}`;
      const [ok] = (await this.client.eval(
        APPEND,
        2,
        this.key,
        this.headKey,
        headText,
        head,
        JSON.stringify(record),
        String(Math.max(0, Math.floor(Date.parse(record.at)) || 0)),
      )) as [number, string];
      if (ok === 1) return record;
    }
    throw new EngineError(
      'CONFLICT',
      `audit log ${this.key}: could not append after ${this.maxAttempts} attempts`,
    );
  }

  async query(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const start = query.since ? String(Math.max(0, Date.parse(query.since))) : '-';
    const out: AuditRecord[] = [];
    for await (const record of this.scan(start, '+')) {
      if (matchesQuery(record as AuditRecord, query)) out.push(record as AuditRecord);
    }
    return out.slice(-(query.limit ?? DEFAULT_QUERY_LIMIT));
  }

  async verify(): Promise<AuditVerification> {
    const records: unknown[] = [];
    for await (const record of this.scan('-', '+')) records.push(record);
    const head = parseHead((await this.client.get(this.headKey)) ?? '');
    return verifyChain(records, head);
  }

  /** Pages through the stream in id order; an entry that is not JSON comes back as null (verify reports it). */
  private async *scan(start: string, end: string): AsyncGenerator<unknown> {
    let from = start;
    for (;;) {
      const page = await this.client.xrange(this.key, from, end, 'COUNT', PAGE);
      for (const [, fields] of page) yield parseFields(fields);
      if (page.length < PAGE) return;
      from = `(${page[page.length - 1]![0]}`;
    }
  }
}

function parseHead(text: string): { seq: number; hash: string } | undefined {
  const [seq, hash] = text.split(':');
  return seq && hash ? { seq: Number(seq), hash } : undefined;
}

function parseFields(fields: string[]): unknown {
  const index = fields.indexOf('r');
  try {
    return index >= 0 ? (JSON.parse(fields[index + 1] ?? '') as unknown) : null;
  } catch {
    return null;
  }
}
