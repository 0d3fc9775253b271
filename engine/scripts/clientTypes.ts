/**
 * Writes the engine's OpenAPI document as TypeScript types for @ai-cloudops/engine-client
 * (plugins/engine-client/src/generated/openapi.ts), with openapi-typescript: the zod schemas stay the one source of
 * validation, the document and the client's types, and the client package needs neither zod nor the engine.
 * `npm run generate:client-types -w @ai-cloudops/engine` rewrites the file; test/client/clientTypes.test.ts fails
 * while the committed file differs from what the schemas give.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import pino from 'pino';
import { startServer } from '../src/server/startServer.js';

export const CLIENT_TYPES_FILE = resolve(
  import.meta.dirname,
  '../../plugins/engine-client/src/generated/openapi.ts',
);

const HEADER = `/*
 * GENERATED from the engine's OpenAPI document (GET /api/v1/openapi.json) by openapi-typescript; do not edit.
 * Regenerate with \`npm run generate:client-types -w @ai-cloudops/engine\` after changing a schema in engine/src.
 */

`;

/** The document exactly as /api/v1/openapi.json serves it, from an engine on an ephemeral loopback port. */
export async function fetchOpenApiDocument(): Promise<Record<string, unknown>> {
  const server = await startServer({
    config: { logLevel: 'silent', server: { port: 0 }, cluster: { kind: 'simulated', injectFaults: false } },
    logger: pino({ level: 'silent' }),
  });
  try {
    const response = await fetch(`${server.url}/api/v1/openapi.json`);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    await server.close();
  }
}

export async function renderClientTypes(document: Record<string, unknown>): Promise<string> {
  // Components exported at top level too (`export type RcaResult = components['schemas']['RcaResult']`) would
  // clash with the friendly names of src/types.ts, so they stay under `components` and types.ts names them.
  // defaultNonNullable off: a request field with a default (zod's `.default()`) may be left out by a client; the
  // response schemas already list such fields as required, so responses lose nothing.
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
    defaultNonNullable: false,
  });
  return HEADER + astToString(ast);
}

export const readCommittedClientTypes = (): string => readFileSync(CLIENT_TYPES_FILE, 'utf8');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const text = await renderClientTypes(await fetchOpenApiDocument());
  writeFileSync(CLIENT_TYPES_FILE, text);
  console.log(`wrote ${CLIENT_TYPES_FILE} (${text.length} characters)`);
}
