import type { AlertStage, LinkProposal } from './AlertStage.js';
import { KeyIndex } from './KeyIndex.js';
import type { TrackedAlert } from '../types.js';

/** Grouping by labels: alerts sharing every value of one `groupBy` label set (e.g. namespace + service) join. */
export class LabelGroupingStage implements AlertStage {
  readonly name = 'labels';
  private readonly index = new KeyIndex();

  constructor(private readonly groupBy: string[][]) {}

  observe: AlertStage['observe'] = (alert) => this.index.set(alert.fingerprint, this.keys(alert));

  forget: AlertStage['forget'] = (alert) => this.index.remove(alert.fingerprint);

  link: AlertStage['link'] = (alert, state, now) => {
    const proposals: LinkProposal[] = [];
    for (const key of this.keys(alert)) {
      const found = this.index.incidentThrough(key, alert.fingerprint, state, now, alert.startsAt);
      if (found)
        proposals.push({
          incidentId: found.incident.id,
          reason: { kind: 'labels', joinedTo: found.via, detail: `same ${key}` },
        });
    }
    return proposals;
  };

  private keys(alert: TrackedAlert): string[] {
    const keys: string[] = [];
    for (const set of this.groupBy) {
      const values = set.map((l) => alert.labels[l]);
      if (values.every(Boolean)) keys.push(set.map((l, i) => `${l}="${values[i]}"`).join(','));
    }
    return keys;
  }
}
