import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { tf } from '../tf/initTf.js';
import { decodeArtifacts, encodeArtifacts, saveResult, WEIGHTS_FILE } from './artifactsCodec.js';

/**
 * A tfjs IOHandler writing `model.json` + `weights.bin` into a folder (tfjs-node's `file://` handler cannot install
 * here). Files are written under temporary names and renamed, so a crash never leaves a half-written model.
 */
export class FileIOHandler implements tf.io.IOHandler {
  constructor(private readonly dir: string) {}

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    const encoded = encodeArtifacts(artifacts);
    await mkdir(this.dir, { recursive: true });
    const weights = join(this.dir, WEIGHTS_FILE);
    const model = join(this.dir, 'model.json');
    await writeFile(`${weights}.tmp`, encoded.weights);
    await writeFile(`${model}.tmp`, encoded.modelJson);
    await rename(`${weights}.tmp`, weights);
    await rename(`${model}.tmp`, model);
    return saveResult(encoded);
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    const [modelJson, weights] = await Promise.all([
      readFile(join(this.dir, 'model.json'), 'utf8'),
      readFile(join(this.dir, WEIGHTS_FILE)),
    ]);
    return decodeArtifacts({ modelJson, weights });
  }
}
