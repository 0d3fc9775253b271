import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EngineError } from '../../errors.js';
import { normalize, type Embedder } from './Embedder.js';

type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean' | 'cls'; normalize: boolean },
) => Promise<{ data: Float32Array; dims: number[] }>;

const invalid = (message: string) =>
  new EngineError('INVALID_CONFIG', message, {
    issues: [{ field: 'assistant.embedder.modelPath', message }],
  });

/**
 * A local sentence-embedding model (ONNX, Hugging Face layout: config.json, tokenizer.json, onnx/model.onnx) from a
 * folder the user provides, run by `@huggingface/transformers` on onnxruntime-node. Remote downloads are disabled:
 * a missing or incomplete folder fails at start with a message naming what is missing.
 */
export class OnnxEmbedder implements Embedder {
  private extractor: FeatureExtractor | undefined;
  private dims = 0;

  constructor(
    private readonly modelPath: string,
    private readonly pooling: 'mean' | 'cls',
    private readonly batchSize: number,
  ) {}

  get id(): string {
    return `onnx:${basename(resolve(this.modelPath))}:${this.pooling}`;
  }

  get dimensions(): number {
    return this.dims;
  }

  /** Checks the folder and loads the model; call once before use. */
  async load(): Promise<void> {
    const dir = resolve(this.modelPath);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw invalid(`model folder ${dir} does not exist`);
    const missing = ['config.json', 'tokenizer.json'].filter((f) => !existsSync(join(dir, f)));
    const onnxDir = existsSync(join(dir, 'onnx')) ? join(dir, 'onnx') : dir;
    const hasOnnx = existsSync(onnxDir) && readdirSync(onnxDir).some((f) => f.endsWith('.onnx'));
    if (!hasOnnx) missing.push('onnx/model.onnx');
    if (missing.length)
      throw invalid(`model folder ${dir} lacks ${missing.join(', ')} (Hugging Face ONNX layout expected)`);
    try {
      const transformers = await import('@huggingface/transformers');
      transformers.env.allowRemoteModels = false;
      transformers.env.allowLocalModels = true;
      transformers.env.localModelPath = dirname(dir);
      const pipe = await transformers.pipeline('feature-extraction', basename(dir), {
        local_files_only: true,
        dtype: 'fp32',
      });
      this.extractor = pipe as unknown as FeatureExtractor;
    } catch (error) {
      throw invalid(
        `could not load the ONNX model from ${dir}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize)
      out.push(...(await this.run(texts.slice(i, i + this.batchSize))));
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.run([text]))[0]!;
  }

  private async run(texts: string[]): Promise<Float32Array[]> {
    if (!this.extractor) await this.load();
    const result = await this.extractor!(texts, { pooling: this.pooling, normalize: true });
    const dims = result.dims[result.dims.length - 1]!;
    this.dims = dims;
    return texts.map((_, i) => normalize(Float32Array.from(result.data.subarray(i * dims, (i + 1) * dims))));
  }
}
