import { EngineError } from '../../errors.js';
import type { ModelProvider } from '../../model/ModelProvider.js';
import { normalize, type Embedder } from './Embedder.js';

/** Embeddings from the model provider's API (OpenAI, Ollama, any OpenAI-compatible server), in batches. */
export class OpenAIEmbedder implements Embedder {
  private dims = 0;

  constructor(
    private readonly model: ModelProvider,
    private readonly batchSize: number,
  ) {
    if (!model.embeddingModel) {
      throw new EngineError('INVALID_CONFIG', 'the openai embedder needs model.embeddingModel', {
        issues: [
          { field: 'model.embeddingModel', message: 'required when assistant.embedder.kind is openai' },
        ],
      });
    }
  }

  get id(): string {
    return `openai:${this.model.embeddingModel}`;
  }

  /** Known after the first call; the server decides. */
  get dimensions(): number {
    return this.dims;
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = await this.model.embed(texts.slice(i, i + this.batchSize));
      for (const v of batch) out.push(this.check(v));
    }
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [v] = await this.model.embed([text]);
    return this.check(v!);
  }

  private check(v: Float32Array): Float32Array {
    if (this.dims === 0) this.dims = v.length;
    if (v.length !== this.dims) {
      throw new EngineError('UPSTREAM_ERROR', `embedding has ${v.length} dimensions, expected ${this.dims}`);
    }
    return normalize(v);
  }
}
