import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<string> | undefined;

/**
 * Selects the wasm backend (its .wasm files ship in the package; Node needs their folder as the path prefix) and
 * falls back to the pure-JS cpu backend when wasm cannot start. Idempotent: every caller awaits the same promise.
 */
export function initTf(): Promise<string> {
  ready ??= (async () => {
    try {
      const require = createRequire(import.meta.url);
      const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
      setWasmPaths(dist);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return tf.getBackend();
      }
    } catch {
      // fall through to cpu
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}

export { tf };
