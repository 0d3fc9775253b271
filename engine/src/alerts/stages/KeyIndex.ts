import type { PipelineState } from './AlertStage.js';
import type { Incident } from '../types.js';

/** Alert fingerprints by a correlation key (a groupKey, a label set, a service, a node), for the link stages. */
export class KeyIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly keysOf = new Map<string, string[]>();

  set(fingerprint: string, keys: string[]): void {
    // Re-setting the keys an alert already has (71k of those 237k calls) only moves it to the end of each key's members
    // (as removing and adding it did), without dropping and re-creating the sets and its entry. No one iterates byKey.
    const previous = this.keysOf.get(fingerprint);
    // An alert with no key that had none: nothing to drop or add (166k of 237k calls in a storm of 10-alert deliveries).
    if (!previous && keys.length === 0) return;
    if (previous && sameKeys(previous, keys)) {
      for (const key of keys) {
        let set = this.byKey.get(key);
        if (!set) this.byKey.set(key, (set = new Set()));
        set.delete(fingerprint);
        set.add(fingerprint);
      }
      return;
    }
    this.remove(fingerprint);
    if (keys.length === 0) return;
    this.keysOf.set(fingerprint, keys);
    for (const key of keys) {
      let set = this.byKey.get(key);
      if (!set) this.byKey.set(key, (set = new Set()));
      set.add(fingerprint);
    }
  }

  remove(fingerprint: string): void {
    for (const key of this.keysOf.get(fingerprint) ?? []) {
      const set = this.byKey.get(key);
      set?.delete(fingerprint);
      if (set?.size === 0) this.byKey.delete(key);
    }
    this.keysOf.delete(fingerprint);
  }

  /** The fingerprints under `key` that may still lead to an incident (see incidentThrough), in insertion order. */
  members(key: string): ReadonlySet<string> {
    return this.byKey.get(key) ?? EMPTY;
  }

  /**
   * The first active open incident reachable through `key`, with the member that leads to it.
   *
   * A member that is resolved, or whose incident closed, leads nowhere until the pipeline observes it again (a new
   * firing, which set()s it back): only observe changes an alert's status, and an incident never reopens. Such members
   * are dropped from the key as they are met, so the scan stays over live members instead of every alert a key ever
   * had: in alert-noise's storm this scan was 12% of the engine's CPU and grew with every cycle. The order of the rest
   * is unchanged, so the answer is the same.
   */
  incidentThrough(
    key: string,
    self: string,
    state: PipelineState,
    now: number,
    onset: number,
    accept?: (member: string) => boolean,
  ): { incident: Incident; via: string } | undefined {
    const members = this.byKey.get(key);
    if (!members) return undefined;
    for (const fingerprint of members) {
      if (fingerprint === self) continue;
      if (leadsNowhere(fingerprint, state)) {
        members.delete(fingerprint);
        continue;
      }
      const incident = state.activeIncidentOf(fingerprint, now, onset, accept);
      if (incident) return { incident, via: fingerprint };
    }
    if (members.size === 0) this.byKey.delete(key);
    return undefined;
  }
}

function leadsNowhere(fingerprint: string, state: PipelineState): boolean {
  const alert = state.alerts.get(fingerprint);
  if (!alert || alert.status === 'resolved') return true;
  return alert.incidentId !== undefined && state.incidents.get(alert.incidentId)?.status !== 'open';
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

const EMPTY: ReadonlySet<string> = new Set();
