import type { AlertsConfig } from '../config.js';
import type { AlertTopology, AlertSubject } from '../AlertTopology.js';
import type { AlertEvent, Incident, MergeReason, MuteReason, TrackedAlert } from '../types.js';

/** What stages read: the pipeline's live state. Stages keep their own indexes; they never change incidents. */
export interface PipelineState {
  readonly config: AlertsConfig;
  readonly topology: AlertTopology;
  readonly alerts: ReadonlyMap<string, TrackedAlert>;
  readonly incidents: ReadonlyMap<string, Incident>;
  subjectOf(alert: TrackedAlert): AlertSubject;
  /**
   * How late a resolution of this alert can still arrive, ms: Alertmanager flushes a group's changes once per
   * group_interval, learned per groupKey from the gaps between its deliveries.
   */
  resolutionLatencyOf(alert: TrackedAlert): number;
  /**
   * The open incident an alert may join through `fingerprint`, if that member is still active at `now` and passes
   * `accept` (a stage's own pure test of the member). `accept` is asked after the onset window and before the mute
   * stages: most members a scan meets fail the window (85k of 125k in alert-noise's storm), and the answer of a
   * conjunction of pure tests does not depend on their order.
   */
  activeIncidentOf(
    fingerprint: string,
    now: number,
    onset: number,
    accept?: (member: string) => boolean,
  ): Incident | undefined;
}

export interface LinkProposal {
  incidentId: string;
  reason: MergeReason;
}

/**
 * One noise-reduction stage. A stage implements the hooks it needs; the pipeline calls them in registration order
 * (stages/index.ts): `accept` on every delivery, `observe` after the alert's state changed, `mute` when deciding
 * whether an alert may page, `link` when a new firing alert looks for an incident, `hold` before an incident pages.
 */
export interface AlertStage {
  readonly name: string;
  /** 'drop' stops a delivery (a duplicate, a stale or out-of-order one). */
  accept?(event: AlertEvent, state: PipelineState): 'drop' | undefined;
  /** Sees every accepted state change, after the tracked alert was updated. */
  observe?(
    alert: TrackedAlert,
    previous: TrackedAlert['status'] | undefined,
    state: PipelineState,
    now: number,
  ): void;
  mute?(alert: TrackedAlert, state: PipelineState, now: number): MuteReason | undefined;
  link?(alert: TrackedAlert, state: PipelineState, now: number): LinkProposal[];
  hold?(incident: Incident, state: PipelineState, now: number): string | undefined;
  /** Forgets what it indexed for an alert leaving the live set. */
  forget?(alert: TrackedAlert): void;
}
