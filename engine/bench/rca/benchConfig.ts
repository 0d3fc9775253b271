import type { BenchContext } from '../lib.js';
import { rcaConfigSchema, type RcaConfig } from '../../src/rca/config.js';

/**
 * The RCA settings a benchmark runs with: the engine's defaults, or `--rca-config '<json>'` overriding some of them
 * (`{"anomaly":{"incidentQuantile":0.7}}`) to see what a setting does. Reported numbers use the defaults.
 */
export function benchRcaConfig(ctx: BenchContext): RcaConfig {
  const raw = ctx.options['rca-config'];
  if (raw === undefined) return rcaConfigSchema.parse({});
  if (typeof raw !== 'string') throw new Error(`benchmark ${ctx.name}: --rca-config needs a JSON object`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`benchmark ${ctx.name}: --rca-config is not JSON: ${(error as Error).message}`);
  }
  const result = rcaConfigSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(
      `benchmark ${ctx.name}: --rca-config ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  console.log(`RCA settings overridden: ${raw}`);
  return result.data;
}
