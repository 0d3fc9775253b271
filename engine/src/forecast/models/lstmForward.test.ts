import { describe, expect, it } from 'vitest';
import { buildNetwork, type LstmParams } from './LstmModel.js';
import { lstmForward, readLstmWeights } from './lstmForward.js';
import { initTf, tf } from '../tf/initTf.js';
import { seededRandom } from '../util/random.js';

describe('lstmForward', () => {
  it('gives the outputs of tfjs model.predict for the same network and inputs', async () => {
    await initTf();
    const H = 5;
    const params: LstmParams = { windowSteps: 10, horizon: H, mean: 0, std: 1, lags: [24, 168], units: 8 };
    const model = buildNetwork(params, 3, 0.01);
    // Non-zero biases (a fresh network has zero ones), so every weight tensor is exercised.
    const random = seededRandom(11);
    model.setWeights(
      model.getWeights().map((w) =>
        tf.tensor(
          Array.from(w.dataSync(), (v) => v + (random() - 0.5) * 0.6),
          w.shape,
        ),
      ),
    );
    const count = 7;
    const window = Float32Array.from({ length: count * 10 * 6 }, () => (random() - 0.5) * 4);
    const aux = Float32Array.from({ length: count * 3 * H }, () => (random() - 0.5) * 2);
    const expected = tf
      .tidy(
        () =>
          model.predict([tf.tensor3d(window, [count, 10, 6]), tf.tensor2d(aux, [count, 3 * H])]) as tf.Tensor,
      )
      .dataSync();
    const got = lstmForward(readLstmWeights(model, 10), window, aux, count);
    expect(got.length).toBe(expected.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
    expect(worst).toBeLessThan(1e-5);
    // The outputs are not trivially equal to zero or to each other.
    expect(new Set(Array.from(expected, (v) => v.toFixed(4))).size).toBeGreaterThan(count);
    model.dispose();
  }, 30_000);
});
