import { createBackend } from '@backstage/backend-defaults';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SAMPLE_ENTITIES } from '../src/__testUtils__/sampleEntities';

/**
 * Runs the plugin alone (`npm start -w @ai-cloudops/backstage-plugin-backend`) with an in-memory catalog of the
 * demo shop and a mock signed-in user, against the engine named in provisioning/backstage/app-config.dev.yaml
 * (start one with `npm start` at the repo root).
 */
const backend = createBackend();
backend.add(mockServices.auth.factory());
// Requests without a token act as a signed-in user, as if a frontend were in front.
backend.add(mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.user() }));
backend.add(catalogServiceMock.factory({ entities: SAMPLE_ENTITIES }));
backend.add(import('../src'));
backend.start();
