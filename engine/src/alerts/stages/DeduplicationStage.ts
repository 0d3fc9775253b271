import type { AlertStage } from './AlertStage.js';

/**
 * Deduplication by fingerprint: a delivery that says nothing new (same fingerprint, startsAt and status, i.e. an
 * Alertmanager re-send or a replayed webhook) is dropped, and so is one that is older than what is known (an
 * out-of-order firing that arrives after its own resolution, or an earlier episode after a later one).
 */
export class DeduplicationStage implements AlertStage {
  readonly name = 'dedup';
  duplicates = 0;
  stale = 0;

  accept: AlertStage['accept'] = (event, state) => {
    const known = state.alerts.get(event.fingerprint);
    if (!known) return undefined;
    if (event.startsAt < known.startsAt) {
      this.stale++;
      return 'drop';
    }
    if (event.startsAt > known.startsAt) return undefined;
    if (event.status === known.status) {
      this.duplicates++;
      return 'drop';
    }
    if (known.status === 'resolved') {
      // The same episode firing after it resolved: a late delivery, not a new fact.
      this.stale++;
      return 'drop';
    }
    return undefined;
  };
}
