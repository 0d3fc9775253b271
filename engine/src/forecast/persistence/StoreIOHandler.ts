import type { Store } from '../../store/Store.js';
import { EngineError } from '../../errors.js';
import type { tf } from '../tf/initTf.js';
import { decodeArtifacts, encodeArtifacts, saveResult } from './artifactsCodec.js';

/** A tfjs IOHandler keeping `model.json` and the weights under one key prefix of the Store, written in one batch. */
export class StoreIOHandler implements tf.io.IOHandler {
  constructor(
    private readonly store: Store,
    private readonly prefix: string,
  ) {}

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    const encoded = encodeArtifacts(artifacts);
    await this.store.batch([
      { op: 'setBuffer', key: `${this.prefix}:weights.bin`, value: encoded.weights },
      { op: 'set', key: `${this.prefix}:model.json`, value: encoded.modelJson },
    ]);
    return saveResult(encoded);
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    const [modelJson, weights] = await Promise.all([
      this.store.get(`${this.prefix}:model.json`),
      this.store.getBuffer(`${this.prefix}:weights.bin`),
    ]);
    if (modelJson === null || weights === null)
      throw new EngineError('NOT_FOUND', `no model stored at ${this.prefix}`);
    return decodeArtifacts({ modelJson, weights });
  }
}
