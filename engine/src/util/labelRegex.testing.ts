import { compileLabelRegex } from './labelRegex.js';

/** Adversarial patterns and subjects for the linear-time test (run in a worker by finishesWithin). */
export function matchAdversarial(): void {
  const cases: Array<[string, string]> = [
    ['(a|aa)+b', 'a'.repeat(60)],
    ['(.*.*)*x', 'cart-7d9f8b-abcde'.repeat(20)],
    ['(a+)+$x', 'a'.repeat(5_000)],
  ];
  for (const [pattern, subject] of cases) {
    if (compileLabelRegex(pattern).test(subject)) throw new Error(`${pattern} matched`);
  }
}
