import { printTable, type BenchMain } from './lib.js';
import { naiveIndex } from './repair/naiveIndex.js';
import { syntheticCluster } from './repair/syntheticCluster.js';
import { getDefaultDetectors, scanSnapshot } from '../src/repair/detectors/index.js';
import { provideIndex } from '../src/repair/snapshot/SnapshotIndex.js';
import type { ClusterSnapshot } from '../src/repair/types.js';
import { NOW } from '../test/fixtures/repair/kubeObjects.js';

/**
 * `npm run bench -- repair-scan [--pods 5000] [--runs 7]`: a synthetic cluster (bench/repair/syntheticCluster.ts)
 * scanned by all fourteen detectors. `scan_ms` is the median over runs of a full scan including building the
 * snapshot index (each run gets a fresh snapshot object, so nothing is cached across runs). The baseline runs the
 * same detectors with k8sgpt-style lookups that re-scan the lists per object (bench/repair/naiveIndex.ts).
 */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(runs: number, scan: (s: ClusterSnapshot) => number, snapshot: ClusterSnapshot) {
  const ms: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const fresh = { ...snapshot };
    const started = performance.now();
    findings = scan(fresh);
    ms.push(performance.now() - started);
  }
  return { ms: median(ms), findings };
}

export const main: BenchMain = async (ctx) => {
  const pods = ctx.numberOption('pods', 5000);
  const runs = ctx.numberOption('runs', 7);
  const snapshot = syntheticCluster(pods);
  const detectors = getDefaultDetectors();
  scanSnapshot({ ...snapshot }, NOW, detectors); // warm-up: JIT, not measured
  const indexed = time(runs, (s) => scanSnapshot(s, NOW, detectors).length, snapshot);
  const naive = time(
    Math.max(1, Math.ceil(runs / 2)),
    (s) => {
      provideIndex(s, naiveIndex(s));
      return scanSnapshot(s, NOW, detectors).length;
    },
    snapshot,
  );
  if (naive.findings !== indexed.findings)
    throw new Error(`baseline found ${naive.findings} findings, the scan ${indexed.findings}`);
  printTable(
    `repair-scan: ${snapshot.pods?.length} pods, ${snapshot.events?.length} events, ${snapshot.nodes?.length} nodes, ${indexed.findings} findings`,
    ['method', 'scan ms (median)'],
    [
      ['indexed once (SnapshotIndex)', indexed.ms],
      ['baseline: k8sgpt-style per-object list scans', naive.ms],
    ],
  );
  return {
    pods: snapshot.pods?.length ?? 0,
    events: snapshot.events?.length ?? 0,
    findings: indexed.findings,
    scan_ms: indexed.ms,
    baseline_naive_scan_ms: naive.ms,
    speedup: naive.ms / indexed.ms,
  };
};
