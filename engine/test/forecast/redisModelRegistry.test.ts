import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../support/index.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { ModelRegistry } from '../../src/forecast/persistence/ModelRegistry.js';
import { fitForecaster } from '../../src/forecast/Forecaster.js';
import { configWith, seriesOf } from '../../src/forecast/testing.js';

/** A forecaster with its LSTM persisted into a real redis-server, surviving a Redis restart. */
describe('ModelRegistry on Redis', () => {
  let redis: RedisServer;
  let store: RedisStore;
  beforeAll(async () => {
    redis = await startRedis();
    store = new RedisStore({ url: redis.url, keyPrefix: 'test:' });
    await store.waitUntilReady(5000);
  });
  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });

  it('stores versions with the LSTM weights as buffers and restores the same forecasts after a restart', async () => {
    const values = Array.from(
      { length: 24 * 20 },
      (_, t) => 50 + 20 * Math.sin((2 * Math.PI * t) / 24) + (t % 5),
    );
    const series = seriesOf(values, { stepSeconds: 3600, transform: 'log1p' });
    const config = configWith({
      horizonSteps: 3,
      lstm: { units: 4, epochs: 1, maxWindows: 200, minWindows: 50, windowSteps: 6 },
    });
    const forecaster = await fitForecaster(series, { config });
    expect(forecaster.fitted.has('lstm')).toBe(true);
    const registry = new ModelRegistry(store);
    const meta = await registry.saveForecaster('ns/svc/request_rate', forecaster);
    expect(meta.hasLstm).toBe(true);
    expect(
      (await store.getBuffer('forecast:models:ns/svc/request_rate:v1:lstm:weights.bin'))!.byteLength,
    ).toBeGreaterThan(100);

    await redis.restart();
    await store.waitUntilReady(5000);
    const { forecaster: restored } = await new ModelRegistry(store).load('ns/svc/request_rate');
    const o = [series.z.length - 1];
    const a = await forecaster.forecastFrom(series, o, 'lstm');
    const b = await restored.forecastFrom(series, o, 'lstm');
    expect(Array.from(b.point)).toEqual(Array.from(a.point));
    forecaster.dispose();
    restored.dispose();
  });
});
