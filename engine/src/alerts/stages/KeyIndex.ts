import type { PipelineState } from './AlertStage.js';
import type { Incident } from '../types.js';

/** Alert fingerprints by a correlation key (a groupKey, a label set, a service, a node), for the link stages. */
export class KeyIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly keysOf = new Map<string, string[]>();

  set(fingerprint: string, keys: string[]): void {
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

  members(key: string): ReadonlySet<string> {
    return this.byKey.get(key) ?? EMPTY;
  }

  /** The first active open incident reachable through `key`, with the member that leads to it. */
  incidentThrough(
    key: string,
    self: string,
    state: PipelineState,
    now: number,
    onset: number,
    accept: (member: string) => boolean = () => true,
  ): { incident: Incident; via: string } | undefined {
    for (const fingerprint of this.members(key)) {
      if (fingerprint === self || !accept(fingerprint)) continue;
      const incident = state.activeIncidentOf(fingerprint, now, onset);
      if (incident) return { incident, via: fingerprint };
    }
    return undefined;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
