import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { cloudOpsApiRef } from './api/CloudOpsApi';
import { CloudOpsClient } from './api/CloudOpsClient';
import { rootRouteRef } from './routes';

export const aiCloudOpsPlugin = createPlugin({
  id: 'aicloudops',
  apis: [
    createApiFactory({
      api: cloudOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CloudOpsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The entity tab: `<EntityLayout.Route path="/cloudops" title="CloudOps"><EntityCloudOpsContent /></EntityLayout.Route>`. */
export const EntityCloudOpsContent = aiCloudOpsPlugin.provide(
  createRoutableExtension({
    name: 'EntityCloudOpsContent',
    component: () => import('./components/EntityCloudOpsContent').then((m) => m.EntityCloudOpsContent),
    mountPoint: rootRouteRef,
  }),
);
