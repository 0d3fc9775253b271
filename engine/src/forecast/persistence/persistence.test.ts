import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../store/MemoryStore.js';
import { FileIOHandler } from './FileIOHandler.js';
import { StoreIOHandler } from './StoreIOHandler.js';
import { ModelRegistry } from './ModelRegistry.js';
import { buildNetwork } from '../models/LstmModel.js';
import { fitForecaster } from '../Forecaster.js';
import { initTf, tf } from '../tf/initTf.js';
import { configWith, seriesOf } from '../testing.js';
import { seededRandom } from '../util/random.js';

const params = { windowSteps: 6, horizon: 3, mean: 0, std: 1, lags: [24, 24] as [number, number], units: 4 };

async function outputsOf(model: tf.LayersModel): Promise<number[]> {
  const x = tf.tensor3d(
    Array.from({ length: 6 * 6 }, (_, i) => Math.sin(i)),
    [1, 6, 6],
  );
  const a = tf.tensor2d(
    Array.from({ length: 9 }, (_, i) => i / 10),
    [1, 9],
  );
  const y = model.predict([x, a]) as tf.Tensor;
  const out = Array.from(await y.data());
  tf.dispose([x, a, y]);
  return out;
}

describe('model persistence', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('FileIOHandler writes model.json + weights.bin and loads the same network back', async () => {
    await initTf();
    const dir = await mkdtemp(join(tmpdir(), 'forecast-io-'));
    dirs.push(dir);
    const model = buildNetwork(params, 1, 0.01);
    const result = await model.save(new FileIOHandler(dir));
    expect(result.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(0);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect((await readFile(join(dir, 'weights.bin'))).byteLength).toBe(
      result.modelArtifactsInfo.weightDataBytes,
    );
    const loaded = await tf.loadLayersModel(new FileIOHandler(dir));
    expect(await outputsOf(loaded)).toEqual(await outputsOf(model));
  });

  it('StoreIOHandler round-trips through the Store, and a missing model is NOT_FOUND', async () => {
    await initTf();
    const store = new MemoryStore();
    const model = buildNetwork(params, 2, 0.01);
    await model.save(new StoreIOHandler(store, 'm1'));
    const loaded = await tf.loadLayersModel(new StoreIOHandler(store, 'm1'));
    expect(await outputsOf(loaded)).toEqual(await outputsOf(model));
    await expect(new StoreIOHandler(store, 'nope').load()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the registry versions forecasters, promotes only valid ones and restores identical forecasts', async () => {
    const random = seededRandom(3);
    const values = Array.from(
      { length: 24 * 30 },
      (_, t) => 200 + 80 * Math.sin((2 * Math.PI * t) / 24) + random() * 10,
    );
    const series = seriesOf(values, { stepSeconds: 3600, transform: 'log1p' });
    const config = configWith({
      horizonSteps: 4,
      lstm: { units: 4, epochs: 2, maxWindows: 300, minWindows: 50, windowSteps: 8, updateEpochs: 1 },
    });
    const forecaster = await fitForecaster(series, { config });
    expect(forecaster.fitted.has('lstm')).toBe(true);
    const store = new MemoryStore();
    const registry = new ModelRegistry(store, 2);
    const v1 = await registry.saveForecaster('shop/cart/request_rate', forecaster);
    expect(v1).toMatchObject({ version: 1, promoted: true, hasLstm: true });

    const { forecaster: restored } = await registry.load('shop/cart/request_rate');
    const origins = [series.z.length - 1, series.z.length - 30];
    for (const name of [...forecaster.fitted.keys(), 'ensemble']) {
      const a = await forecaster.forecastFrom(series, origins, name);
      const b = await restored.forecastFrom(series, origins, name);
      expect(Array.from(b.point)).toEqual(Array.from(a.point));
    }

    // A model that fails validation is kept as a version but not promoted: v1 keeps serving.
    const failing = { ...forecaster.toJSON(), valid: false };
    const v2 = await registry.save('shop/cart/request_rate', failing);
    expect(v2).toMatchObject({ version: 2, promoted: false });
    expect(await registry.currentVersion('shop/cart/request_rate')).toBe(1);
    // keep = 2: a third (also failing) version prunes v2, never the current v1.
    await registry.save('shop/cart/request_rate', failing);
    expect((await registry.versions('shop/cart/request_rate')).map((v) => v.version)).toEqual([1, 3]);
    expect(await registry.currentVersion('shop/cart/request_rate')).toBe(1);
    expect(await store.get('forecast:models:shop/cart/request_rate:v2:spec')).toBeNull();
    await registry.save('shop/cart/request_rate', forecaster.toJSON());
    expect((await registry.versions('shop/cart/request_rate')).map((v) => v.version)).toEqual([3, 4]);
    expect(await registry.currentVersion('shop/cart/request_rate')).toBe(4);
    expect(await registry.seriesKeys()).toEqual(['shop/cart/request_rate']);
    forecaster.dispose();
    restored.dispose();
  });
});
