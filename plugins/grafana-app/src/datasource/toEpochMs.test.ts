import { toEpochMs } from './toEpochMs';

describe('toEpochMs', () => {
  test('reads seconds, milliseconds, numeric strings and ISO-8601', () => {
    expect(toEpochMs(1_764_000_000)).toBe(1_764_000_000_000);
    expect(toEpochMs(1_764_000_000_123)).toBe(1_764_000_000_123);
    expect(toEpochMs('1764000000.5')).toBe(1_764_000_000_500);
    expect(toEpochMs('2025-11-24T16:00:00Z')).toBe(Date.UTC(2025, 10, 24, 16));
  });

  test('rejects text that is not a time', () => {
    expect(() => toEpochMs('yesterday')).toThrow('not a time: yesterday');
  });
});
