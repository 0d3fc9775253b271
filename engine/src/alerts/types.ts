/**
 * The alerting capability's vocabulary. Every source (Alertmanager webhook, Prometheus poller, the generic JSON form,
 * the engine's own repair findings and anomaly detector) becomes an AlertEvent; the pipeline turns events into
 * incidents, each listing its alerts and the reason every alert joined.
 */

export type AlertStatus = 'firing' | 'resolved';
export type AlertSource = 'alertmanager' | 'prometheus' | 'generic' | 'repair' | 'anomaly';

/** One observation of one alert, as delivered. Idempotency key: fingerprint + startsAt + status. */
export interface AlertEvent {
  fingerprint: string;
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Unix milliseconds. */
  startsAt: number;
  /**
   * The delivery gave no startsAt (Go's zero time, absent): startsAt is the receipt time, and an alert already firing
   * keeps the onset it has (as Alertmanager merges it), so a re-send is a duplicate, not a new episode.
   */
  startsAtUnset?: true;
  /** Unix milliseconds; absent or 0 while firing. */
  endsAt?: number;
  source: AlertSource;
  /** Alertmanager's groupKey of the delivery that carried it. */
  groupKey?: string;
  generatorURL?: string;
  /** When the engine received it (unix ms): the pipeline's clock. */
  receivedAt: number;
}

/** Why an alert is in an incident: the rule or edge that joined it to an alert already there. */
export interface MergeReason {
  /** `opened`, `alertmanager-group`, `labels`, `service-graph`, `kubernetes-owner`, `kubernetes-node`, `same-service`. */
  kind: string;
  /** The member it was joined to (absent for the alert that opened the incident). */
  joinedTo?: string;
  /** Human-readable, e.g. `edge checkout → payments`. */
  detail: string;
}

/** A reason an alert pages no one: inhibition, suppression, flapping. */
export interface MuteReason {
  kind:
    | 'inhibited'
    | 'topology-inhibited'
    | 'maintenance'
    | 'rollout'
    | 'repair'
    | 'flapping'
    | 'silenced'
    | 'context';
  detail: string;
}

/** An alert as the pipeline keeps it: the latest delivered state plus what it has seen over time. */
export interface TrackedAlert extends Omit<AlertEvent, 'generatorURL' | 'receivedAt' | 'startsAtUnset'> {
  firstSeenAt: number;
  lastSeenAt: number;
  /** Deliveries received while firing (re-sends included): what "after N" counts. */
  firingDeliveries: number;
  /** Times (ms) of recent state changes, for flap detection. */
  transitions: number[];
  flapping: boolean;
  muted?: MuteReason;
  incidentId?: string;
  merge?: MergeReason;
}

export type IncidentStatus = 'open' | 'resolved';

export interface Incident {
  id: string;
  status: IncidentStatus;
  title: string;
  severity: string;
  openedAt: number;
  /** Onset (startsAt) of the alert that opened it: alerts beginning much later start an incident of their own. */
  onsetAt: number;
  updatedAt: number;
  resolvedAt?: number;
  /** When the first notification went out; undefined while held (thresholds, mutes) or never paged. */
  notifiedAt?: number;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  /** Alert fingerprints in join order, with the reason each joined. */
  members: Array<{ fingerprint: string; reason: MergeReason }>;
  services: string[];
  /** The RCA job started for it, when automatic RCA is on. */
  rcaId?: string;
  /** Why automatic RCA was not started for it (no alert of it names a service RCA could analyse). */
  rcaSkipped?: string;
  /** Alerts Alertmanager dropped from deliveries of this incident (`truncatedAlerts`). */
  truncatedAlerts: number;
  /** Why it has not paged yet (or never will): the gate that holds it. */
  heldBecause?: string;
}

export interface Notification {
  incident: string;
  fingerprints: string[];
  /** Unix ms on the pipeline's clock. */
  at: number;
  /** `updated`: an incident that already paged took in an alert that would page on its own. */
  kind: 'opened' | 'updated' | 'resolved';
}

/** What the pipeline tells the service after each step: what to persist, publish and deliver. */
export interface PipelineOutput {
  changedIncidents: Set<string>;
  changedAlerts: Set<string>;
  notifications: Notification[];
  /** Alerts that joined an incident in this step, with the reason. */
  joined: Array<{ incidentId: string; fingerprint: string; reason: MergeReason }>;
}
