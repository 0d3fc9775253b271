import { CatalogClient } from '@backstage/catalog-client';
import { createApiFactory, discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { createDevApp } from '@backstage/dev-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { KNOWLEDGE_PAGE_PATH } from '@ai-cloudops/backstage-plugin-common';
import {
  aiCloudOpsPlugin,
  aiCloudOpsTranslations,
  AiCloudOpsKnowledgePage,
  EntityCloudOpsContent,
} from '../src';
import { CatalogEntityPage } from './CatalogEntityPage';
import { ServicesPage } from './ServicesPage';

/**
 * The entity tab in Backstage's dev app (`npm start -w @ai-cloudops/backstage-plugin`, http://localhost:3000),
 * against the real dev backend (`npm start -w @ai-cloudops/backstage-plugin-backend`: catalog, search, guest
 * sign-in, the aicloudops plugin) and an engine (`npm start` at the repo root). Sign in as guest; the start page lists
 * the catalog's components and searches the portal; each component opens as /catalog/:namespace/:kind/:name with its
 * CloudOps tab, the entity read from the real catalog.
 */
createDevApp()
  .registerPlugin(aiCloudOpsPlugin)
  .registerApi(
    createApiFactory({
      api: catalogApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CatalogClient({ discoveryApi, fetchApi }),
    }),
  )
  // English and Simplified Chinese: the sidebar's language switcher changes the tab's text.
  .setAvailableLanguages(['en', 'zh'])
  .addTranslationResource(aiCloudOpsTranslations)
  .addPage({ path: '/', title: 'Services', element: <ServicesPage /> })
  .addPage({
    path: '/catalog/:namespace/:kind/:name',
    element: (
      <CatalogEntityPage>
        <EntityCloudOpsContent />
      </CatalogEntityPage>
    ),
  })
  // Where portal search results of the engine's knowledge base open (pages without a URL of their own).
  .addPage({ path: KNOWLEDGE_PAGE_PATH, element: <AiCloudOpsKnowledgePage /> })
  .render();
