import React, { Suspense } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { render, screen } from '@testing-library/react';
import type { AppRootProps } from '@grafana/data';
import { App } from './App';
import { testIds } from '../testIds';
import { ENGINE_PROXY_URL } from '../../constants';
import { FakeBackendSrv, routes } from '../../test/FakeBackendSrv';
import type { Readiness } from '../../api/types';

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Suspense fallback="loading">
        <App {...({} as AppRootProps)} />
      </Suspense>
    </MemoryRouter>
  );
}

describe('App', () => {
  beforeEach(() => {
    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/readyz`]: () => ({
          status: 200,
          body: { ready: true, profile: 'demo', checks: [] } satisfies Readiness,
        }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/clusters`]: () => ({ status: 200, body: { items: [] } }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/workloads`]: () => ({ status: 200, body: { items: [] } }),
      })
    ).install();
  });

  test('lazy-loads the page of the route', async () => {
    renderAt('/assistant');
    expect(await screen.findByTestId(testIds.assistant.container, undefined, { timeout: 20000 })).toBeInTheDocument();
  });

  test.each([
    ['/repairs', testIds.repairs.container],
    ['/alerts', testIds.alerts.container],
  ])('routes %s to its page', async (path, container) => {
    renderAt(path);
    expect(await screen.findByTestId(container, undefined, { timeout: 20000 })).toBeInTheDocument();
  });

  test('sends unknown paths to the overview', async () => {
    renderAt('/nowhere');
    expect(await screen.findByTestId(testIds.overview.container, undefined, { timeout: 20000 })).toBeInTheDocument();
  });
});
