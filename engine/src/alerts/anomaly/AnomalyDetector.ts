/**
 * A streaming anomaly detector: fed one sample at a time in time order, it answers how anomalous that sample is,
 * from what it has seen so far only (no look-ahead), as a score in [0, 1]. Detectors learn their own baseline;
 * alerting compares the score with one threshold shared by every series (chosen on NAB), never a per-metric limit.
 */
export interface AnomalyDetector {
  /** `timestamp` in ms since the epoch; returns the anomaly score of this sample in [0, 1]. */
  update(timestamp: number, value: number): number;
}

/** Builds a fresh detector for one series. `probationRows` is how many early samples it may treat as warm-up. */
export type AnomalyDetectorFactory = (options: { probationRows: number }) => AnomalyDetector;
