export * from './core.js';
export * from '../assistant/schemas.js';
