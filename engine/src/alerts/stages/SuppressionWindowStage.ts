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

/**
 * How long a window is kept, listed as expired, after it ended: Alertmanager's default for expired silences
 * (`--data.retention=120h`). Then it is forgotten, so an engine that runs for months does not hold every window ever
 * made.
 */
export const SUPPRESSION_RETENTION_MS = 120 * 3600_000;

/** Whether a window is still kept at `now` (listed, and found by DELETE): until SUPPRESSION_RETENTION_MS after it ended. */
export const suppressionRetained = (window: SuppressionWindow, now: number): boolean =>
  now < window.endsAt + SUPPRESSION_RETENTION_MS;

/**
 * How long after its end a window stays on the matching path. The times the pipeline judges alerts at are not strictly
 * increasing (a read judges at the wall clock, a batch at its receipt time a moment before), and a window dropped at
 * one time must still mute an alert judged at an earlier one; five minutes is far more than that, and costs little.
 */
const MATCHING_GRACE_MS = 5 * 60_000;

type Entry = SuppressionWindow & { parsed: LabelMatcher[] };

/** Suppression during declared maintenance windows and rollouts (from config or the API): matching alerts page no one. */
export class SuppressionWindowStage implements AlertStage {
  readonly name = 'suppression-window';
  /** Every window kept (pending, active, or ended less than the retention ago), by id, in the order they came. */
  private readonly windows = new Map<string, Entry>();
  /** The windows alerts are checked against: those not ended (with the grace). Ended ones are only listed. */
  private matching: Entry[] = [];
  /** The latest time the stage was told of (an alert judged, a window expired). */
  private clock = -Infinity;
  /** When the next window leaves `matching`, and when the next is forgotten: the sweeps run only then. */
  private nextUnmatch = Infinity;
  private nextForget = Infinity;

  add(window: SuppressionWindow): void {
    // A window already forgotten (a replayed log's, older than the retention) is not taken back.
    if (this.windows.has(window.id) || !suppressionRetained(window, this.clock)) return;
    const entry: Entry = { ...window, parsed: window.matchers.map(parseMatcher) };
    this.windows.set(entry.id, entry);
    if (entry.endsAt + MATCHING_GRACE_MS > this.clock) this.matching.push(entry);
    this.scheduled(entry);
  }

  /**
   * Ends a window now, as Alertmanager expires a silence: it stays listed (expired) for the retention, it is not
   * deleted. A pending one never starts; one that already ended is left as it is. Undefined when no window has this id
   * (or it was forgotten).
   */
  expire(id: string, at: number): SuppressionWindow | undefined {
    this.advance(at);
    const window = this.windows.get(id);
    if (!window) return undefined;
    if (window.endsAt > at) {
      window.startsAt = Math.min(window.startsAt, at);
      window.endsAt = at;
      window.expiredAt = at;
      this.scheduled(window);
    }
    const { parsed: _parsed, ...rest } = window;
    return rest;
  }

  /** The windows kept, in the order they came; the caller filters with `suppressionRetained` at its own time. */
  list(): SuppressionWindow[] {
    return [...this.windows.values()].map(({ parsed: _parsed, ...w }) => w);
  }

  /** How many windows an alert is checked against now. */
  get matchingCount(): number {
    return this.matching.length;
  }

  mute: AlertStage['mute'] = (alert, _state, now) => {
    this.advance(now);
    // Judged now: an alert still firing after the window closed is a real problem and may page.
    for (const w of this.matching) {
      if (now >= w.startsAt && now < w.endsAt && matchesAll(w.parsed, alert.labels)) {
        return { kind: w.kind, detail: `${w.kind} window ${w.id}${w.reason ? `: ${w.reason}` : ''}` };
      }
    }
    return undefined;
  };

  /** A window's end (new, or moved earlier by expire) may be the next sweep's time. */
  private scheduled(window: Entry): void {
    this.nextUnmatch = Math.min(this.nextUnmatch, window.endsAt + MATCHING_GRACE_MS);
    this.nextForget = Math.min(this.nextForget, window.endsAt + SUPPRESSION_RETENTION_MS);
  }

  /**
   * Moves the clock to `now` (never back) and drops what ended: from matching once past the grace, from the stage once
   * past the retention. Each sweep runs only when its next deadline has come, so judging an alert costs nothing more.
   * Dropping changes no answer, so a replayed log (which holds some of the times the live run saw, not its ticks) ends
   * with the same mutes and the same list: a window leaves matching only after it ended, when it matches nothing, and
   * is forgotten only after the retention, which the list applies at the reader's time anyway (`suppressionRetained`).
   */
  private advance(now: number): void {
    if (now <= this.clock) return;
    this.clock = now;
    if (now >= this.nextUnmatch) {
      this.matching = this.matching.filter((w) => w.endsAt + MATCHING_GRACE_MS > now);
      let next = Infinity;
      for (const w of this.matching) next = Math.min(next, w.endsAt + MATCHING_GRACE_MS);
      this.nextUnmatch = next;
    }
    if (now >= this.nextForget) {
      let next = Infinity;
      for (const [id, w] of this.windows) {
        if (!suppressionRetained(w, now)) this.windows.delete(id);
        else next = Math.min(next, w.endsAt + SUPPRESSION_RETENTION_MS);
      }
      this.nextForget = next;
    }
  }
}
