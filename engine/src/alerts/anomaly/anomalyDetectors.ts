import type { AnomalyDetector, AnomalyDetectorFactory } from './AnomalyDetector.js';
import { TailEnsembleDetector } from './detectors/TailEnsembleDetector.js';
import { WindowedGaussianDetector } from './detectors/WindowedGaussianDetector.js';

/** Every streaming anomaly detector, by name: the one place a new detector is registered. */
export const anomalyDetectors = {
  'tail-ensemble': ({ probationRows }) => new TailEnsembleDetector({ probationRows }),
  'windowed-gaussian': () => new WindowedGaussianDetector(),
} satisfies Record<string, AnomalyDetectorFactory>;

export type AnomalyDetectorName = keyof typeof anomalyDetectors;
export const ANOMALY_DETECTOR_NAMES = Object.keys(anomalyDetectors) as AnomalyDetectorName[];
export const DEFAULT_ANOMALY_DETECTOR: AnomalyDetectorName = 'tail-ensemble';

export function createAnomalyDetector(
  name: AnomalyDetectorName,
  options: { probationRows: number },
): AnomalyDetector {
  const factory: AnomalyDetectorFactory | undefined = anomalyDetectors[name];
  if (!factory)
    throw new Error(`unknown anomaly detector "${name}"; known: ${ANOMALY_DETECTOR_NAMES.join(', ')}`);
  return factory(options);
}
