export * from './EngineClient.js';
export type * from '../schemas/core.js';
export type * from '../rca/schemas.js';
export type * from '../assistant/schemas.js';
export type * from '../forecast/schemas.js';
