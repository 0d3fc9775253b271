import { beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_TYPES_FILE,
  fetchOpenApiDocument,
  readCommittedClientTypes,
  renderClientTypes,
} from '../../scripts/clientTypes.js';

/**
 * @ai-cloudops/engine-client's types are generated from this engine's OpenAPI document and committed, so the plugins
 * need neither zod nor the engine. A schema change without regenerating them fails here.
 */
let document: { components: { schemas: Record<string, unknown> } };

beforeAll(async () => {
  document = (await fetchOpenApiDocument()) as typeof document;
}, 60_000);

describe('engine-client generated types', () => {
  it('match what the engine OpenAPI document gives today', async () => {
    const generated = await renderClientTypes(document);
    const hint = `${CLIENT_TYPES_FILE} is out of date: run \`npm run generate:client-types -w @ai-cloudops/engine\``;
    // A boolean, not toEqual: the file is ~190 kB and the hint says what to do.
    expect(readCommittedClientTypes() === generated, hint).toBe(true);
  }, 60_000);

  it('name every component schema of the document', () => {
    const committed = readCommittedClientTypes();
    const names = Object.keys(document.components.schemas);
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) expect(committed, name).toMatch(new RegExp(`^ {8}${name}: `, 'm'));
  });
});
