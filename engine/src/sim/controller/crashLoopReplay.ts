import { nextBackoffSeconds, ticksFor, type BackoffTuning } from './backoff.js';
import type { ControllerTuning } from './ControllerContext.js';

/** What the kubelet did to a container that a fault kept killing, as tick offsets from the fault's first tick. */
export interface CrashLoopReplay {
  /** Ticks it was killed at (the first at 0: a container running when the fault began dies on the next sync). */
  crashes: number[];
  /** Ticks it was started again at. */
  starts: number[];
  /** BackOff events recorded: one at each kill and one at each of the kubelet's retries while waiting. */
  backOffs: number;
  lastBackOff: number;
  /** Where it stands before tick `ticks`: waiting out `backoffSeconds` since `since`, or running since `since`. */
  stage: 'running' | 'backoff';
  since: number;
  /** The last back-off's length in seconds of cluster time (what the kubelet's waiting message prints). */
  backoffSeconds: number;
}

/**
 * The kubelet's crash loop (Kubelet.running/run: killed after `crashAfterTicks` running, then the back-off of
 * backoff.ts, 10 s doubling to 5 minutes, in ticks) over ticks 0..ticks-1, cycle by cycle instead of tick by tick. The
 * demo opens on a fault that began 15 minutes before the cluster; stepping the whole controller through those 900
 * ticks cost ~3 s per CLI command, this is a loop of a few iterations per back-off cycle. It must stay in step with the
 * kubelet: crashLoopReplay.test.ts replays against stepped ticks.
 */
export function replayCrashLoop(
  ticks: number,
  tuning: Pick<ControllerTuning, 'crashAfterTicks'> & BackoffTuning,
): CrashLoopReplay {
  const out: CrashLoopReplay = {
    crashes: [],
    starts: [],
    backOffs: 0,
    lastBackOff: 0,
    stage: 'running',
    since: 0,
    backoffSeconds: 0,
  };
  let kill = 0;
  while (kill < ticks) {
    out.crashes.push(kill);
    out.backoffSeconds = nextBackoffSeconds(out.backoffSeconds, tuning);
    const start = kill + ticksFor(out.backoffSeconds, tuning);
    // BackOff at the kill and at every retry of the wait (the start tick records the start instead).
    const waited = Math.min(start, ticks) - kill;
    const retry = ticksFor(tuning.backoffRetrySeconds, tuning);
    out.backOffs += Math.ceil(waited / retry);
    out.lastBackOff = kill + Math.floor((waited - 1) / retry) * retry;
    if (start >= ticks) return { ...out, stage: 'backoff', since: kill };
    out.starts.push(start);
    out.since = start;
    kill = start + Math.max(1, tuning.crashAfterTicks);
  }
  return { ...out, stage: 'running' };
}
