export * from './core.js';
export * from '../assistant/schemas.js';
export * from '../rca/schemas.js';
export * from '../forecast/schemas.js';
export * from '../alerts/schemas.js';
export * from '../repair/repairSchemas.js';
