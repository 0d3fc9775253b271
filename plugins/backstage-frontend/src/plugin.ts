import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { cloudOpsApiRef } from './api/CloudOpsApi';
import { CloudOpsClient } from './api/CloudOpsClient';
import { knowledgeRouteRef, rootRouteRef } from './routes';

export const aiCloudOpsPlugin = createPlugin({
  id: 'aicloudops',
  apis: [
    createApiFactory({
      api: cloudOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CloudOpsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef, knowledge: knowledgeRouteRef },
});

/** The entity tab: `<EntityLayout.Route path="/cloudops" title="CloudOps"><EntityCloudOpsContent /></EntityLayout.Route>`. */
export const EntityCloudOpsContent = aiCloudOpsPlugin.provide(
  createRoutableExtension({
    name: 'EntityCloudOpsContent',
    component: () => import('./components/EntityCloudOpsContent').then((m) => m.EntityCloudOpsContent),
    mountPoint: rootRouteRef,
  }),
);

/**
 * One page of the engine's knowledge base, which portal search results open when the page has no URL of its own:
 * `<Route path={KNOWLEDGE_PAGE_PATH} element={<AiCloudOpsKnowledgePage />} />` (path from the common package).
 */
export const AiCloudOpsKnowledgePage = aiCloudOpsPlugin.provide(
  createRoutableExtension({
    name: 'AiCloudOpsKnowledgePage',
    component: () => import('./components/KnowledgePage').then((m) => m.KnowledgePage),
    mountPoint: knowledgeRouteRef,
  }),
);
