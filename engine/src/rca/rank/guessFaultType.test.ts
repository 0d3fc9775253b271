import { describe, expect, it } from 'vitest';
import { guessFaultType } from './guessFaultType.js';

describe('guessFaultType', () => {
  it('names the fault from the signal kind and the direction it moved', () => {
    expect(guessFaultType('error_ratio', 5)).toBe('errors');
    expect(guessFaultType('PodSuccessRate(%)', -5)).toBe('errors');
    expect(guessFaultType('latency_p99', 5)).toBe('latency');
    expect(guessFaultType('restarts', 1)).toBe('crash-loop');
    expect(guessFaultType('memory', 5)).toBe('memory-pressure');
    expect(guessFaultType('memory', -5)).toBe('restarted');
    expect(guessFaultType('cpu', 5)).toBe('cpu-saturation');
    expect(guessFaultType('cpu', -5)).toBe('unavailable');
    expect(guessFaultType('NetworkReceiveBytes', -5)).toBe('network');
    expect(guessFaultType('request_rate', 5)).toBe('traffic-surge');
    expect(guessFaultType('request_rate', -5)).toBe('traffic-drop');
    expect(guessFaultType('queue_depth', 5)).toBe('anomaly');
  });
});
