import type { Store } from './Store.js';

/**
 * Adds the records a store held before an index existed (or before it grew a new part) to that index: runs
 * `backfill` unless `marker` already holds `version`, then writes it. The jobs, RCA results and repair actions all
 * come through here, once per process each. Back-fills only add index members, so replicas doing it at once do no
 * harm. The marker must sit outside the key prefix the back-fill scans.
 */
export async function backfillIndexOnce(
  store: Store,
  marker: string,
  version: string,
  backfill: () => Promise<void>,
): Promise<void> {
  if ((await store.get(marker)) === version) return;
  await backfill();
  await store.set(marker, version);
}
