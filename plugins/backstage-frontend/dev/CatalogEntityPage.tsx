import { Content, Header, Page, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AsyncEntityProvider, catalogApiRef } from '@backstage/plugin-catalog-react';
import type { ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/**
 * A catalog entity page: the entity read from the backend's catalog and provided to `children` (the tab), as
 * Backstage's entity page does. The dev app has no catalog plugin, so this stands in for `EntityLayout` with one
 * route. The tab is passed as children, not rendered here: Backstage finds routable extensions only in the element
 * tree given to the app.
 */
export function CatalogEntityPage({ children }: { children: ReactNode }) {
  const { namespace = 'default', kind = 'component', name = '' } = useParams();
  const catalogApi = useApi(catalogApiRef);
  const {
    value: entity,
    loading,
    error,
    retry,
  } = useAsyncRetry(
    () => catalogApi.getEntityByRef({ kind, namespace, name }),
    [catalogApi, kind, namespace, name],
  );
  return (
    <Page themeId="service">
      <Header title={name} subtitle={`${kind}:${namespace}/${name} · CloudOps`} type={kind} />
      <Content>
        {loading && !entity ? <Progress /> : null}
        {error ? <ResponseErrorPanel error={error} /> : null}
        {!loading && !error && !entity ? (
          <ResponseErrorPanel error={new Error(`${kind}:${namespace}/${name} is not in the catalog`)} />
        ) : null}
        {entity ? (
          <AsyncEntityProvider entity={entity} loading={loading} error={error} refresh={retry}>
            {children}
          </AsyncEntityProvider>
        ) : null}
      </Content>
    </Page>
  );
}
