/**
 * The golden-signal kind of a signal, from its name alone: what a symptom and its cause have in common. An error
 * symptom (availability down, 5xx up) is caused by errors somewhere below it, a latency symptom by slowness; other
 * kinds (saturation, traffic) corroborate. The keyword lists match Prometheus conventions, cloud metrics and the
 * datasets' column names alike, and are checked in this order (`error_ratio` is errors, not traffic).
 */
export type SignalKind = 'errors' | 'latency' | 'saturation' | 'traffic' | 'other';

const RULES: Array<{ kind: SignalKind; pattern: RegExp }> = [
  { kind: 'errors', pattern: /error|fail|5xx|exception|availab|success/i },
  { kind: 'latency', pattern: /latency|duration|delay|response_time|p9\d|p50/i },
  { kind: 'saturation', pattern: /cpu|mem|restart|throttl|disk|saturat/i },
  { kind: 'traffic', pattern: /request|workload|rate|ops|throughput|count|bytes|syscall/i },
];

export function signalKind(signal: string): SignalKind {
  for (const rule of RULES) if (rule.pattern.test(signal)) return rule.kind;
  return 'other';
}
