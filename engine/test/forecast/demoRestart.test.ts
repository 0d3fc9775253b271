import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createEngine } from '../../src/engine.js';
import type { ForecasterSpec } from '../../src/forecast/Forecaster.js';

/**
 * What a restart of the demo (memory store) keeps, as the README and `dataDir`'s comment say: the knowledge base
 * (assistantService.test checks its snapshot) and nothing else. `dataDir` was documented as where models are written;
 * they never were, and a trained model was gone after `npm start` again. If models come to be kept, this test and
 * those two texts change together.
 */
describe('a restarted demo engine', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = () =>
    configSchema.parse({
      logLevel: 'silent',
      dataDir,
      cluster: { kind: 'simulated', injectFaults: false },
      forecast: { retrainIntervalHours: 0 },
    });

  it('no longer lists the forecast models trained before, and wrote none under dataDir', async () => {
    const first = await createEngine(config());
    try {
      const spec = { chosen: 'naive', reason: 'test', valid: true, horizon: 1, candidates: [] };
      await first.services.forecast.registry.save(
        'shop/frontend/request_rate',
        spec as unknown as ForecasterSpec,
      );
      expect((await first.services.forecast.models()).map((m) => m.seriesKey)).toEqual([
        'shop/frontend/request_rate',
      ]);
    } finally {
      await first.close();
    }
    const second = await createEngine(config());
    try {
      expect(await second.services.forecast.models()).toEqual([]);
    } finally {
      await second.close();
    }
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });
});
