import type { AlertStage } from './AlertStage.js';
import { matchesAll, parseMatcher, type LabelMatcher } from '../matchers.js';

export interface SuppressionWindow {
  id: string;
  kind: 'maintenance' | 'rollout';
  matchers: string[];
  /** Unix ms. */
  startsAt: number;
  endsAt: number;
  reason: string;
  /** When it was ended early (the API's DELETE): endsAt became this time, and so did a pending window's startsAt. */
  expiredAt?: number;
}

/** Suppression during declared maintenance windows and rollouts (from config or the API): matching alerts page no one. */
export class SuppressionWindowStage implements AlertStage {
  readonly name = 'suppression-window';
  private readonly windows: Array<SuppressionWindow & { parsed: LabelMatcher[] }> = [];

  add(window: SuppressionWindow): void {
    if (this.windows.some((w) => w.id === window.id)) return;
    this.windows.push({ ...window, parsed: window.matchers.map(parseMatcher) });
  }

  /**
   * Ends a window now, as Alertmanager expires a silence: it stays listed (expired), it is not deleted. A pending one
   * never starts; one that already ended is left as it is. Undefined when no window has this id.
   */
  expire(id: string, at: number): SuppressionWindow | undefined {
    const window = this.windows.find((w) => w.id === id);
    if (!window) return undefined;
    if (window.endsAt > at) {
      window.startsAt = Math.min(window.startsAt, at);
      window.endsAt = at;
      window.expiredAt = at;
    }
    const { parsed: _parsed, ...rest } = window;
    return rest;
  }

  list(): SuppressionWindow[] {
    return this.windows.map(({ parsed: _parsed, ...w }) => w);
  }

  mute: AlertStage['mute'] = (alert, _state, now) => {
    // Judged now: an alert still firing after the window closed is a real problem and may page.
    for (const w of this.windows) {
      if (now >= w.startsAt && now < w.endsAt && matchesAll(w.parsed, alert.labels)) {
        return { kind: w.kind, detail: `${w.kind} window ${w.id}${w.reason ? `: ${w.reason}` : ''}` };
      }
    }
    return undefined;
  };
}
