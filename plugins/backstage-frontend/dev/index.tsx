import { createDevApp } from '@backstage/dev-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { aiCloudOpsPlugin, EntityCloudOpsContent } from '../src';

/**
 * Runs the tab alone (`npm start -w @ai-cloudops/backstage-plugin`) against a backend that serves the
 * `aicloudops` plugin, e.g. `npm start -w @ai-cloudops/backstage-plugin-backend` with an engine running.
 */
const cart: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'cart', 'backstage.io/kubernetes-namespace': 'shop' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/shop-team', system: 'shop' },
};

createDevApp()
  .registerPlugin(aiCloudOpsPlugin)
  .addPage({
    element: (
      <EntityProvider entity={cart}>
        <EntityCloudOpsContent />
      </EntityProvider>
    ),
    title: 'CloudOps: cart',
    path: '/aicloudops',
  })
  .render();
