import { z } from 'zod';

/**
 * A PromQL sample value as the API carries it: a JSON number when finite, else Prometheus' own strings `"+Inf"`,
 * `"-Inf"` and `"NaN"` (JSON has no such numbers). `1/0`, `0/0` or `histogram_quantile(1.5, ...)` were a 500
 * (`ResponseSerializationError ... expected number, received Infinity`) from /metrics/query and `null` values from
 * /metrics/query_range (found walking the README). The sources keep JS numbers; the routes convert at the edge.
 */
export const promValueSchema = z
  .union([z.number(), z.enum(['+Inf', '-Inf', 'NaN'])])
  .describe('The sample value: a number, or "+Inf", "-Inf" or "NaN" as Prometheus writes them');

export type PromValue = z.infer<typeof promValueSchema>;

export function toPromValue(value: number): PromValue {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}
