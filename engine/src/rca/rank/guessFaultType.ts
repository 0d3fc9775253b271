import { signalKind } from './signalKind.js';

/**
 * A first guess at what kind of fault a signal points to, from its golden-signal kind (`signalKind`, the one place
 * that reads signal names) and the direction it moved. Kubernetes events, when present, override it: an OOMKilled
 * event says more than a memory curve.
 */
export function guessFaultType(signal: string, deviation: number): string {
  const up = deviation >= 0;
  switch (signalKind(signal)) {
    case 'errors':
      return 'errors';
    case 'latency':
      return 'latency';
    case 'saturation':
      if (/restart/i.test(signal)) return 'crash-loop';
      if (/mem/i.test(signal)) return up ? 'memory-pressure' : 'restarted';
      return up ? 'cpu-saturation' : 'unavailable';
    case 'traffic':
      if (/network|bytes|receive|transmit/i.test(signal)) return 'network';
      return up ? 'traffic-surge' : 'traffic-drop';
    default:
      return 'anomaly';
  }
}
