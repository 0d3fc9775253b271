import type { EngineConfig } from '../config/schema.js';
import type { ModelProvider } from './ModelProvider.js';
import { OpenAIProvider } from './OpenAIProvider.js';

/** The configured model, or undefined for provider `none` (every capability then works without a model). */
export function createModelProvider(config: EngineConfig['model']): ModelProvider | undefined {
  if (config.provider === 'none') return undefined;
  return new OpenAIProvider({
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    apiKey: config.apiKey,
    chatModel: config.chatModel,
    ...(config.embeddingModel ? { embeddingModel: config.embeddingModel } : {}),
    timeoutSeconds: config.timeoutSeconds,
    maxRetries: config.maxRetries,
  });
}
