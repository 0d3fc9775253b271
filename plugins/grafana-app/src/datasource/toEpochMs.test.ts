import { toEpochMs } from './toEpochMs';

describe('toEpochMs', () => {
  test('turns the engine unix seconds, fractions included, into epoch milliseconds', () => {
    expect(toEpochMs(1_764_000_000)).toBe(Date.UTC(2025, 10, 24, 16));
    expect(toEpochMs(1_764_000_000.5)).toBe(Date.UTC(2025, 10, 24, 16) + 500);
  });
});
