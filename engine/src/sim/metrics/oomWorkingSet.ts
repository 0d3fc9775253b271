import { upperBound } from '../../util/upperBound.js';
/** Share of the memory limit an OOM-killed container starts again at, and the share it climbs to before a kill. */
const RESTART_SHARE = 0.5;
const TOP_SHARE = 0.99;
/**
 * Seconds the climb after a container's first kill takes: the kubelet's first back-off (10 s), so the leak reaches the
 * limit no later than the next kill. Later climbs take as long as the interval between the two kills before.
 */
const FIRST_CLIMB_SECONDS = 10;

/**
 * The working set of a container an oom-killed fault has the kubelet kill at `kills` (unix s, ascending: its recorded
 * restarts, the ones its restartCount and lastState.terminated.finishedAt report), since `since` (the fault's start,
 * or the pod's if later). At the limit until the first kill; after each kill it starts again at half the limit and
 * climbs to just under it, so the saw-tooth drops exactly at the kills and nowhere else. Each climb takes as long as
 * the interval before it (back-offs only grow, so the next kill is no sooner): a value never depends on a kill still
 * to come, and the history a query read does not change when the next kill is recorded.
 * Undefined when the kubelet has not killed the container since `since` (a pod whose limit was raised enough).
 */
export function oomWorkingSet(
  limit: number,
  t: number,
  since: number,
  kills: readonly number[],
): number | undefined {
  const first = upperBound(kills, since - 1e-9);
  if (first === kills.length) return undefined;
  const killed = upperBound(kills, t);
  if (killed <= first) return limit * TOP_SHARE;
  const last = kills[killed - 1]!;
  const climb = killed - 1 > first ? last - kills[killed - 2]! : FIRST_CLIMB_SECONDS;
  const progress = Math.min(1, (t - last) / Math.max(climb, 1e-9));
  return limit * (RESTART_SHARE + (TOP_SHARE - RESTART_SHARE) * progress);
}
