import { afterAll, beforeAll } from 'vitest';
import pino from 'pino';
import { createEngine, type Engine } from '../../src/engine.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import type { RcaConfig } from '../../src/rca/config.js';
import { RcaService } from '../../src/rca/RcaService.js';

export interface DemoRcaEngine {
  /** The file's demo engine: no scheduled faults (a test injects its own), the simulated cluster stepped 30 s. */
  readonly engine: Engine;
  /** RCA of the demo namespace as of `now` (unix seconds), with these `rca.anomaly` settings over the defaults. */
  analyse(now: number, anomaly?: Partial<RcaConfig['anomaly']>): ReturnType<RcaService['analyze']>;
}

/**
 * One demo engine for the test file (registers beforeAll/afterAll, so not exported from index.ts). The demo's
 * metrics are a function of time and the fault ledger, so RCA at a fixed `now` is repeatable.
 */
export function demoRcaEnginePerFile(): DemoRcaEngine {
  let engine: Engine | undefined;
  beforeAll(async () => {
    engine = await createEngine(
      parseConfig({
        profile: 'demo',
        logLevel: 'silent',
        cluster: { kind: 'simulated', injectFaults: false },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    engine.demo!.cluster.step(30);
  });
  afterAll(async () => {
    await engine?.close();
  });
  const started = () => {
    if (!engine) throw new Error('the demo engine starts in beforeAll');
    return engine;
  };
  return {
    get engine() {
      return started();
    },
    analyse(now, overrides = {}) {
      const { context } = started();
      const { config } = context;
      const anomaly = { ...config.rca.anomaly, ...overrides };
      const rca = { ...config.rca, anomaly };
      return new RcaService({ ...context, config: { ...config, rca } }, { now: () => now }).analyze({
        namespace: started().demo!.namespace,
      });
    },
  };
}
