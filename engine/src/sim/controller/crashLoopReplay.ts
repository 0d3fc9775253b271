import type { ControllerTuning } from './ControllerContext.js';

/** What the kubelet did to a container that a fault kept killing, as tick offsets from the fault's first tick. */
export interface CrashLoopReplay {
  /** Ticks it was killed at (the first at 0: a container running when the fault began dies on the next sync). */
  crashes: number[];
  /** Ticks it was started again at. */
  starts: number[];
  /** BackOff events recorded: one at each kill and one on each tick spent waiting. */
  backOffs: number;
  lastBackOff: number;
  /** Where it stands before tick `ticks`: waiting out `backoff` since `since`, or running since `since`. */
  stage: 'running' | 'backoff';
  since: number;
  backoff: number;
}

/**
 * The kubelet's crash loop (Kubelet.running/run: killed after `crashAfterTicks` running, back-off doubling from one
 * tick to `maxBackoffTicks`) over ticks 0..ticks-1, cycle by cycle instead of tick by tick. The demo opens on a fault
 * that began 15 minutes before the cluster; stepping the whole controller through those 900 ticks cost ~3 s per CLI
 * command, this is a loop of ~100 iterations. It must stay in step with the kubelet: crashLoopReplay.test.ts replays
 * against stepped ticks.
 */
export function replayCrashLoop(
  ticks: number,
  tuning: Pick<ControllerTuning, 'crashAfterTicks' | 'maxBackoffTicks'>,
): CrashLoopReplay {
  const out: CrashLoopReplay = { crashes: [], starts: [], backOffs: 0, lastBackOff: 0, stage: 'running', since: 0, backoff: 0 };
  let kill = 0;
  while (kill < ticks) {
    out.crashes.push(kill);
    out.backoff = Math.min(tuning.maxBackoffTicks, Math.max(1, out.backoff * 2));
    const start = kill + out.backoff;
    // BackOff at the kill and on every tick of the wait (the start tick records the start instead).
    const waitedUntil = Math.min(start, ticks);
    out.backOffs += waitedUntil - kill;
    out.lastBackOff = waitedUntil - 1;
    if (start >= ticks) return { ...out, stage: 'backoff', since: kill };
    out.starts.push(start);
    out.since = start;
    kill = start + Math.max(1, tuning.crashAfterTicks);
  }
  return { ...out, stage: 'running' };
}
