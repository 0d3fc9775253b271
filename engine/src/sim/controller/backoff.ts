import type { ControllerTuning } from './ControllerContext.js';

export type BackoffTuning = Pick<
  ControllerTuning,
  | 'backoffInitialSeconds'
  | 'backoffMaxSeconds'
  | 'backoffResetSeconds'
  | 'backoffRetrySeconds'
  | 'secondsPerTick'
>;

/**
 * The wait after another failure, in seconds: the kubelet's back-off (CrashLoopBackOff and ImagePullBackOff alike)
 * starts at 10 s and doubles per failure up to 5 minutes. `previous` 0 means no failure since the last reset. The one
 * rule the kubelet's crash path, its image pull path and the crash loop replay share, so they cannot drift apart.
 */
export function nextBackoffSeconds(previous: number, tuning: BackoffTuning): number {
  if (previous <= 0) return tuning.backoffInitialSeconds;
  return Math.min(tuning.backoffMaxSeconds, previous * 2);
}

/** Whole ticks covering `seconds` of cluster time (at least one: a wait ends on a later sync, never the same one). */
export function ticksFor(seconds: number, tuning: Pick<ControllerTuning, 'secondsPerTick'>): number {
  return Math.max(1, Math.ceil(seconds / tuning.secondsPerTick));
}

/** True once a container has run long enough that its next failure starts the back-off over (the 10-minute rule). */
export function backoffResets(ranTicks: number, tuning: BackoffTuning): boolean {
  return ranTicks >= ticksFor(tuning.backoffResetSeconds, tuning);
}

/** True on the ticks of a back-off (`waited` ticks since the failure) where the kubelet retries and records BackOff. */
export function retriesAt(waited: number, tuning: BackoffTuning): boolean {
  return waited % ticksFor(tuning.backoffRetrySeconds, tuning) === 0;
}

/**
 * A wait as the kubelet prints it: Go's time.Duration format, so 80 s reads "1m20s" and the cap "5m0s" (the
 * CrashLoopBackOff message is `back-off 5m0s restarting failed container=...` on a real node).
 */
export function goDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h > 0 ? `${h}h` : ''}${m}m${s % 60}s`;
}
