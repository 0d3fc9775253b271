/**
 * A first guess at what kind of fault a signal points to, from the signal's name alone. Kubernetes events, when
 * present, override it (an OOMKilled event says more than a memory curve). Keyword lists stay generic on purpose:
 * they match the signal names of Prometheus conventions, cloud metrics and the datasets alike.
 */
const RULES: Array<{ pattern: RegExp; up: string; down: string }> = [
  { pattern: /restart/i, up: 'crash-loop', down: 'crash-loop' },
  { pattern: /cpu/i, up: 'cpu-saturation', down: 'unavailable' },
  { pattern: /mem/i, up: 'memory-pressure', down: 'restarted' },
  { pattern: /error|fail|5xx|exception/i, up: 'errors', down: 'errors' },
  { pattern: /availab|success/i, up: 'errors', down: 'errors' },
  { pattern: /latency|duration|delay|response_time|p9\d/i, up: 'latency', down: 'latency' },
  { pattern: /network|bytes|receive|transmit/i, up: 'network', down: 'network' },
  { pattern: /request|workload|rate|ops|throughput|count/i, up: 'traffic-surge', down: 'traffic-drop' },
];

export function guessFaultType(signal: string, deviation: number): string {
  for (const rule of RULES) {
    if (rule.pattern.test(signal)) return deviation >= 0 ? rule.up : rule.down;
  }
  return 'anomaly';
}
