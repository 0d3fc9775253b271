import { upperBound } from '../../util/upperBound.js';
/**
 * When each container of the simulated cluster restarted (unix seconds), written by the kubelet as it restarts them.
 * The pod status's `restartCount` and the demo's `kube_pod_container_status_restarts_total` are both read from here,
 * so the two agree at every tick and over the metric's whole history, as kube-state-metrics reports what the
 * kubelet wrote. Before, the metric came from its own model of the back-off and a fresh crash loop read
 * `restarts=0` beside a pod with six restarts.
 */
export class RestartBook {
  /** pod uid/container → restart times, ascending. By uid: a StatefulSet's new `web-0` starts again from 0. */
  private readonly byContainer = new Map<string, number[]>();

  private static key(podUid: string, container: string): string {
    return `${podUid}/${container}`;
  }

  record(podUid: string, container: string, at: number): void {
    const key = RestartBook.key(podUid, container);
    const list = this.byContainer.get(key) ?? [];
    // Replayed restarts arrive in order; a clock moved back by a test must not break the binary search.
    list.push(Math.max(at, list.at(-1) ?? -Infinity));
    this.byContainer.set(key, list);
  }

  /** Restarts of a container at or before a time (unix seconds). */
  countAt(podUid: string, container: string, at: number): number {
    return upperBound(this.times(podUid, container), at);
  }

  /** When a container restarted (unix seconds, ascending): the kill times the OOM memory saw-tooth drops at. */
  times(podUid: string, container: string): readonly number[] {
    return this.byContainer.get(RestartBook.key(podUid, container)) ?? [];
  }

  count(podUid: string, container: string): number {
    return this.byContainer.get(RestartBook.key(podUid, container))?.length ?? 0;
  }
}
