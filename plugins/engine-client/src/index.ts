export * from './EngineClient.js';
export { describeDeviation, formatNumber, type DeviationParts } from './describeDeviation.js';
export type * from './types.js';
/** The generated OpenAPI types themselves, for operations and schemas the friendly names do not cover. */
export type { components, operations, paths } from './generated/openapi.js';
export * from './streams.js';
export { MAX_HORIZON_MINUTES, QUESTION_MAX_CHARS } from './limits.js';
export { ENGINE_RETRY, isRetryableEngineError, retryDelayMs, type RetryPolicy } from './retry.js';
