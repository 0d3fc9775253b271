import type { AlertStage, LinkProposal } from './AlertStage.js';
import { KeyIndex } from './KeyIndex.js';

/**
 * Alertmanager's own grouping, respected: alerts it delivered under one groupKey join one incident, provided the
 * group is scoped to something (its group_by labels include a service, workload, pod or node label). A group keyed
 * only by alertname or cluster spans unrelated services, and joining it would mix incidents.
 */
export class GroupKeyStage implements AlertStage {
  readonly name = 'alertmanager-group';
  private readonly index = new KeyIndex();
  private readonly scopeLabels: Set<string>;
  /**
   * scoped() by groupKey: a regex match and its array on every observation and link otherwise, for the few groups an
   * Alertmanager has (1.5% of the ingest path's CPU in alert-noise's storm). Bounded: cleared when it reaches
   * SCOPED_CACHE_SIZE, so a sender inventing groupKeys cannot grow it.
   */
  private readonly scopedCache = new Map<string, boolean>();

  constructor(serviceLabels: string[]) {
    // A namespace-wide group spans many services: joining it would merge unrelated incidents.
    this.scopeLabels = new Set([
      ...serviceLabels,
      'pod',
      'node',
      'deployment',
      'statefulset',
      'daemonset',
      'workload',
    ]);
  }

  observe: AlertStage['observe'] = (alert) => {
    if (alert.groupKey && this.scoped(alert.groupKey)) this.index.set(alert.fingerprint, [alert.groupKey]);
  };

  forget: AlertStage['forget'] = (alert) => this.index.remove(alert.fingerprint);

  link: AlertStage['link'] = (alert, state, now) => {
    if (!alert.groupKey || !this.scoped(alert.groupKey)) return [];
    const found = this.index.incidentThrough(alert.groupKey, alert.fingerprint, state, now, alert.startsAt);
    return found ? [proposal(found.incident.id, found.via, alert.groupKey)] : [];
  };

  private scoped(groupKey: string): boolean {
    let scoped = this.scopedCache.get(groupKey);
    if (scoped === undefined) {
      if (this.scopedCache.size >= SCOPED_CACHE_SIZE) this.scopedCache.clear();
      this.scopedCache.set(groupKey, (scoped = this.readScope(groupKey)));
    }
    return scoped;
  }

  /** groupKey looks like `{}/{severity="page"}:{alertname="X", service="y"}`: the last braces hold the group_by labels. */
  private readScope(groupKey: string): boolean {
    const open = groupKey.lastIndexOf(':{');
    if (open < 0) return false;
    const names = groupKey.slice(open + 2).match(/([A-Za-z_][A-Za-z0-9_]*)=/g) ?? [];
    return names.some((n) => this.scopeLabels.has(n.slice(0, -1)));
  }
}

const SCOPED_CACHE_SIZE = 4096;

function proposal(incidentId: string, via: string, groupKey: string): LinkProposal {
  return {
    incidentId,
    reason: { kind: 'alertmanager-group', joinedTo: via, detail: `same Alertmanager group ${groupKey}` },
  };
}
