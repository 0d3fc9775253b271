import { describe, expect, it } from 'vitest';
import { compileLabelRegex } from '../util/labelRegex.js';
import { matches, parseMatcher } from './matchers.js';

describe('regex matchers remember their answers', () => {
  it('answer as RE2 does for every value: again, past the memory bound, and for values too long to remember', () => {
    const values = Array.from({ length: 600 }, (_, i) =>
      i % 3 === 0 ? `svc-${i}-Down` : i % 3 === 1 ? `svc-${i}` : `${'x'.repeat(250 + (i % 20))}Down`,
    );
    for (const text of ['alertname=~".*(Down|Unavailable)"', 'alertname!~".*Down"']) {
      const matcher = parseMatcher(text);
      const fresh = compileLabelRegex(matcher.value);
      const expected = (value: string) => (matcher.op === '=~') === fresh.test(value);
      // Twice over, the second time backwards: answers learned, forgotten when the memory filled, learned again.
      for (const value of [...values, ...[...values].reverse()])
        expect(matches(matcher, { alertname: value }), `${text} on ${value}`).toBe(expected(value));
    }
  });
});
