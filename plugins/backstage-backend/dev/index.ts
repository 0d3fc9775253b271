import { createBackend } from '@backstage/backend-defaults';
import { aiCloudOpsSearchModule } from '../src';

/**
 * A real Backstage backend around the plugin (`npm start -w @ai-cloudops/backstage-plugin-backend`): the catalog
 * reading the demo shop's entities (provisioning/backstage/catalog/shop.yaml), search (Lunr, in memory) with the
 * catalog and the engine's knowledge base indexed, the guest sign-in provider the frontend dev app signs in with, and
 * the `aicloudops` plugin talking to the engine named in provisioning/backstage/app-config.dev.yaml (start one with
 * `npm start` at the repo root). Permissions are off (Backstage's default), so a signed-in guest may read and analyse;
 * calls that change a cluster stay refused by `aicloudops.proxy.allowClusterChanges: false`.
 */
const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('../src'));
backend.add(aiCloudOpsSearchModule);
backend.start();
