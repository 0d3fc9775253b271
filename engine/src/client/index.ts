export * from './EngineClient.js';
export type * from '../schemas/core.js';
