import { describe, expect, it } from 'vitest';
import { oomWorkingSet } from './oomWorkingSet.js';

const LIMIT = 1000;
const KILLS = [100, 111, 132, 173];

describe('oomWorkingSet', () => {
  it('is at the limit before the first kill, drops at each kill and climbs to just under the limit before the next', () => {
    expect(oomWorkingSet(LIMIT, 99.5, 100, KILLS)).toBe(990);
    for (const kill of KILLS) {
      expect(oomWorkingSet(LIMIT, kill - 0.01, 100, KILLS)).toBeCloseTo(990, 0);
      expect(oomWorkingSet(LIMIT, kill, 100, KILLS)).toBe(500);
    }
    // After the last kill it climbs over the interval before it (41 s) and stays under the limit.
    expect(oomWorkingSet(LIMIT, 173 + 20.5, 100, KILLS)).toBeCloseTo(745, 0);
    expect(oomWorkingSet(LIMIT, 500, 100, KILLS)).toBe(990);
  });

  it('does not change its past when the next kill is recorded', () => {
    const before = [150, 160, 170].map((t) => oomWorkingSet(LIMIT, t, 100, KILLS.slice(0, 3)));
    expect([150, 160, 170].map((t) => oomWorkingSet(LIMIT, t, 100, KILLS))).toEqual(before);
  });

  it('ignores kills before the fault, and is undefined for a container it never killed', () => {
    expect(oomWorkingSet(LIMIT, 120, 105, KILLS)).toBeCloseTo(500 + 490 * (9 / 10), 6);
    expect(oomWorkingSet(LIMIT, 300, 200, KILLS)).toBeUndefined();
    expect(oomWorkingSet(LIMIT, 300, 200, [])).toBeUndefined();
  });
});
