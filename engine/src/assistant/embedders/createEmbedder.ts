import { EngineError } from '../../errors.js';
import type { ModelProvider } from '../../model/ModelProvider.js';
import type { EmbedderConfig } from '../config.js';
import type { Embedder } from './Embedder.js';
import { LsaEmbedder } from './LsaEmbedder.js';
import { OnnxEmbedder } from './OnnxEmbedder.js';
import { OpenAIEmbedder } from './OpenAIEmbedder.js';

/** The configured embedder; the ONNX one is loaded (and its folder checked) here so a bad path fails at start. */
export async function createEmbedder(
  config: EmbedderConfig,
  model: ModelProvider | undefined,
): Promise<Embedder> {
  switch (config.kind) {
    case 'lsa':
      return new LsaEmbedder(config);
    case 'openai':
      if (!model) {
        throw new EngineError('INVALID_CONFIG', 'assistant.embedder.kind openai needs a model provider', {
          issues: [
            {
              field: 'model.provider',
              message: 'set to openai (with embeddingModel) or use embedder kind lsa',
            },
          ],
        });
      }
      return new OpenAIEmbedder(model, config.batchSize);
    case 'onnx': {
      const embedder = new OnnxEmbedder(config.modelPath, config.pooling, config.batchSize);
      await embedder.load();
      return embedder;
    }
  }
}
