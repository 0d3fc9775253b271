/**
 * The engine's typed client lives in its own package, @ai-cloudops/engine-client (plugins/engine-client: no
 * runtime dependencies, ESM and CommonJS, types generated from this engine's OpenAPI document), so the plugins
 * install it without the engine. `@ai-cloudops/engine/client` stays as this re-export for existing importers.
 */
export * from '@ai-cloudops/engine-client';
