import type { Store, StoreWrite } from '../store/Store.js';
import type { SuppressionWindow } from './stages/SuppressionWindowStage.js';
import type { AlertEvent, Incident, MergeReason, TrackedAlert } from './types.js';
import type { ServiceEdge } from '../topology/ConfiguredServiceGraph.js';

/** One record of the alert log: everything that changes alerting state, in the order it happened. */
export type AlertLogEntry =
  | { t: 'delivery'; at: number; events: AlertEvent[]; truncatedAlerts?: number }
  | {
      t: 'notified';
      at: number;
      incident: string;
      fingerprints: string[];
      kind?: 'opened' | 'updated' | 'resolved';
    }
  | { t: 'ack'; at: number; incident: string; by: string }
  | { t: 'resolve'; at: number; incident: string; by: string }
  | { t: 'suppression'; at: number; window: SuppressionWindow }
  /** A window ended early (DELETE /alerts/suppressions/:id); it stays listed as expired. */
  | { t: 'suppression-expired'; at: number; id: string }
  | { t: 'rca'; at: number; incident: string; rcaId: string }
  /** An automatic RCA not started, and why (the incident's rcaSkipped), so a replay shows it as the live run did. */
  | { t: 'rca-skipped'; at: number; incident: string; reason: string }
  /** The service graph alerts grouped along from here on (a replay groups as the live run did). */
  | { t: 'topology'; at: number; edges: ServiceEdge[] };

export type StoredIncident = Omit<Incident, 'members'>;
export interface StoredMember {
  fingerprint: string;
  reason: MergeReason;
}

const LOG = 'alerts:log';
const INCIDENTS = 'alerts:incidents';
const ALERTS = 'alerts:alerts';
const NOTIFICATIONS = 'alerts:notifications';
const members = (id: string) => `alerts:members:${id}`;

/**
 * The alerting state in the store. The log is the source of truth (the pipeline is rebuilt from it after a restart);
 * incidents, alerts and members are kept beside it so every replica answers the API from the same data.
 */
export class AlertRepository {
  constructor(private readonly store: Store) {}

  /** Appends to the log: once this resolves the entry survives an engine or Redis restart (AOF). */
  async append(...entries: AlertLogEntry[]): Promise<void> {
    await this.store.rpush(LOG, ...entries.map(logLine));
  }

  async readLog(): Promise<AlertLogEntry[]> {
    return (await this.store.lrange(LOG, 0, -1)).map((line) => JSON.parse(line) as AlertLogEntry);
  }

  /**
   * One atomic write (one Lua script on Redis) for a whole group commit: the log lines in processing order, the
   * incidents and alerts that changed, the members that joined and the notifications sent. All of it is stored or none.
   */
  async commit(write: {
    lines: string[];
    incidents: Incident[];
    alerts: TrackedAlert[];
    joined: Array<{ incidentId: string } & StoredMember>;
    notifications?: Array<{ incident: string; fingerprints: string[]; at: number }>;
    /** Applied only if `key` holds `expected`, which becomes `next` (the service's commit chain). */
    chain?: { key: string; expected: string; next: string; ttlSeconds: number };
  }): Promise<void> {
    const ops: StoreWrite[] = [];
    if (write.chain) {
      ops.push({ op: 'expect', key: write.chain.key, value: write.chain.expected });
      ops.push({
        op: 'set',
        key: write.chain.key,
        value: write.chain.next,
        ttlSeconds: write.chain.ttlSeconds,
      });
    }
    if (write.lines.length > 0) ops.push({ op: 'rpush', key: LOG, values: write.lines });
    ops.push(...saveOps(write.incidents, write.alerts, write.joined));
    const sent = write.notifications ?? [];
    if (sent.length > 0)
      ops.push({
        op: 'rpush',
        key: NOTIFICATIONS,
        values: sent.map((n) =>
          JSON.stringify({ incident: n.incident, fingerprints: n.fingerprints, at: n.at }),
        ),
      });
    if (ops.length > 0) await this.store.batch(ops);
  }

  /** Incidents and alerts that changed, and members that joined, in one atomic write. */
  async save(
    incidents: Incident[],
    alerts: TrackedAlert[],
    joined: Array<{ incidentId: string } & StoredMember>,
  ): Promise<void> {
    await this.commit({ lines: [], incidents, alerts, joined });
  }

  async notifications(): Promise<Array<{ incident: string; fingerprints: string[]; at: number }>> {
    return (await this.store.lrange(NOTIFICATIONS, 0, -1)).map(
      (l) => JSON.parse(l) as { incident: string; fingerprints: string[]; at: number },
    );
  }

  async incidents(): Promise<StoredIncident[]> {
    return Object.values(await this.store.hgetall(INCIDENTS)).map((v) => JSON.parse(v) as StoredIncident);
  }

  async incident(id: string): Promise<StoredIncident | undefined> {
    const raw = await this.store.hget(INCIDENTS, id);
    return raw ? (JSON.parse(raw) as StoredIncident) : undefined;
  }

  async members(id: string): Promise<StoredMember[]> {
    return (await this.store.lrange(members(id), 0, -1)).map((l) => JSON.parse(l) as StoredMember);
  }

  async alerts(): Promise<TrackedAlert[]> {
    return Object.values(await this.store.hgetall(ALERTS)).map((v) => JSON.parse(v) as TrackedAlert);
  }

  async alertsByFingerprint(fingerprints: string[]): Promise<Map<string, TrackedAlert>> {
    const found = new Map<string, TrackedAlert>();
    const values = await Promise.all(fingerprints.map((f) => this.store.hget(ALERTS, f)));
    values.forEach((v, i) => v && found.set(fingerprints[i]!, JSON.parse(v) as TrackedAlert));
    return found;
  }
}

/** The serialised form of a log entry (the group commit measures a batch's bytes on it). */
export function logLine(entry: AlertLogEntry): string {
  return JSON.stringify(entry);
}

function saveOps(
  incidents: Incident[],
  alerts: TrackedAlert[],
  joined: Array<{ incidentId: string } & StoredMember>,
): StoreWrite[] {
  const ops: StoreWrite[] = [];
  if (incidents.length > 0) {
    ops.push({
      op: 'hset',
      key: INCIDENTS,
      fields: Object.fromEntries(incidents.map((i) => [i.id, JSON.stringify(withoutMembers(i))])),
    });
  }
  if (alerts.length > 0) {
    ops.push({
      op: 'hset',
      key: ALERTS,
      fields: Object.fromEntries(alerts.map((a) => [a.fingerprint, JSON.stringify(a)])),
    });
  }
  const byIncident = new Map<string, string[]>();
  for (const j of joined) {
    const list = byIncident.get(j.incidentId) ?? [];
    list.push(JSON.stringify({ fingerprint: j.fingerprint, reason: j.reason } satisfies StoredMember));
    byIncident.set(j.incidentId, list);
  }
  for (const [id, values] of byIncident) ops.push({ op: 'rpush', key: members(id), values });
  return ops;
}

function withoutMembers(incident: Incident): StoredIncident {
  const { members: _members, ...rest } = incident;
  return rest;
}
