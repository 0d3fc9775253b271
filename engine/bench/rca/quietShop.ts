import pino from 'pino';
import { analyzeIncident } from '../../src/rca/analyzeIncident.js';
import type { RcaConfig } from '../../src/rca/config.js';
import type { RcaWorkerPool } from '../../src/rca/worker/RcaWorkerPool.js';
import type { RcaInput } from '../../src/rca/types.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';

/** `--name value` from the command line of a bench script. */
export function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * The demo shop with no fault, and a worker pool that analyses in-process and keeps the last input the RCA collected,
 * so a script can score that one collection again under other configs (liveQuiet, diagnoseQuiet).
 */
export async function quietShop(): Promise<{
  engine: Engine;
  workers: RcaWorkerPool;
  captured: () => RcaInput;
}> {
  const engine = await createEngine(
    parseConfig({ profile: 'demo', logLevel: 'silent', cluster: { kind: 'simulated', injectFaults: false } }),
    { logger: pino({ level: 'silent' }) },
  );
  engine.demo!.cluster.step(30);
  let captured: RcaInput | undefined;
  const workers = {
    analyze: async (input: RcaInput, rca: RcaConfig) => {
      captured = input;
      return analyzeIncident(input, rca);
    },
    close: async () => {},
  } as unknown as RcaWorkerPool;
  return {
    engine,
    workers,
    captured: () => {
      if (!captured) throw new Error('no RCA input collected yet');
      return captured;
    },
  };
}
