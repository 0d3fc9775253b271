import { tf } from '../tf/initTf.js';

/**
 * The on-disk/in-store shape of a tfjs model: the `model.json` of tfjs' own format (topology + weights manifest)
 * and one `weights.bin` buffer. Kept apart from where the bytes go (a folder or the Store).
 */
export interface EncodedModel {
  modelJson: string;
  weights: Buffer;
}

export const WEIGHTS_FILE = 'weights.bin';

export function encodeArtifacts(artifacts: tf.io.ModelArtifacts): EncodedModel {
  if (artifacts.modelTopology instanceof ArrayBuffer)
    throw new Error('binary model topologies are not supported');
  const data = artifacts.weightData;
  const joined = data === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(data);
  const modelJson = JSON.stringify({
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  });
  return { modelJson, weights: Buffer.from(joined) };
}

export function decodeArtifacts(encoded: EncodedModel): tf.io.ModelArtifacts {
  const json = JSON.parse(encoded.modelJson) as tf.io.ModelJSON;
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const buf = encoded.weights;
  // Copy out of Node's pooled buffer: tfjs reads the whole ArrayBuffer.
  const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig,
    weightSpecs,
    weightData,
  };
}

export function saveResult(encoded: EncodedModel): tf.io.SaveResult {
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: Buffer.byteLength(encoded.modelJson),
      weightDataBytes: encoded.weights.byteLength,
    },
  };
}
