import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PluginType } from '@grafana/data';
import { AppConfig, type AppConfigProps } from './AppConfig';
import { testIds } from '../testIds';
import { FakeBackendSrv, routes } from '../../test/FakeBackendSrv';

const PLUGIN_ID = 'aicloudops-cloudops-app';
const SETTINGS = `/api/plugins/${PLUGIN_ID}/settings`;

function props(meta: Partial<AppConfigProps['plugin']['meta']> = {}): AppConfigProps {
  return {
    plugin: {
      meta: {
        id: PLUGIN_ID,
        name: 'AI-CloudOps',
        type: PluginType.app,
        enabled: true,
        pinned: true,
        jsonData: {},
        ...meta,
      },
    },
    query: {},
  } as unknown as AppConfigProps;
}

describe('AppConfig', () => {
  let reload: jest.Mock;

  beforeEach(() => {
    // jsdom cannot navigate; saving reloads the page as Grafana requires.
    reload = jest.fn();
    Object.defineProperty(window, 'location', { configurable: true, value: { ...window.location, reload } });
  });

  test('saves the engine URL in jsonData and one token per role in secureJsonData', async () => {
    const srv = new FakeBackendSrv(
      routes({ [`POST ${SETTINGS}`]: () => ({ status: 200, body: { message: 'Plugin settings updated' } }) })
    ).install();
    render(<AppConfig {...props()} />);

    await userEvent.type(screen.getByTestId(testIds.appConfig.engineUrl), 'http://engine:8080/');
    await userEvent.type(screen.getByTestId(testIds.appConfig.token('viewerToken')), 'viewer-token-0123456789');
    await userEvent.type(screen.getByTestId(testIds.appConfig.token('operatorToken')), 'operator-token-0123456789');
    await userEvent.type(screen.getByTestId(testIds.appConfig.token('adminToken')), 'admin-token-0123456789');
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));

    await waitFor(() => expect(reload).toHaveBeenCalled());
    expect(srv.requests).toHaveLength(1);
    expect(srv.requests[0].data).toEqual({
      enabled: true,
      pinned: true,
      jsonData: { engineUrl: 'http://engine:8080' },
      secureJsonData: {
        viewerToken: 'viewer-token-0123456789',
        operatorToken: 'operator-token-0123456789',
        adminToken: 'admin-token-0123456789',
      },
    });
  });

  test('keeps stored tokens when only the URL changes', async () => {
    const srv = new FakeBackendSrv(routes({ [`POST ${SETTINGS}`]: () => ({ status: 200, body: {} }) })).install();
    render(
      <AppConfig
        {...props({
          jsonData: { engineUrl: 'http://old:8080' },
          secureJsonFields: { viewerToken: true, operatorToken: true, adminToken: true },
        })}
      />
    );

    const url = screen.getByTestId(testIds.appConfig.engineUrl);
    expect(url).toHaveValue('http://old:8080');
    await userEvent.clear(url);
    await userEvent.type(url, 'http://new:8080');
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));

    await waitFor(() => expect(srv.requests).toHaveLength(1));
    expect(srv.requests[0].data).toMatchObject({ jsonData: { engineUrl: 'http://new:8080' } });
    expect((srv.requests[0].data as { secureJsonData?: unknown }).secureJsonData).toBeUndefined();
  });

  test('refuses a URL without a scheme and shows why', async () => {
    const srv = new FakeBackendSrv(routes({})).install();
    render(<AppConfig {...props()} />);

    await userEvent.type(screen.getByTestId(testIds.appConfig.engineUrl), 'engine:8080');

    expect(screen.getByText('Must start with http:// or https://')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
    expect(srv.requests).toHaveLength(0);
  });

  test('shows Grafana refusing the save instead of reloading', async () => {
    new FakeBackendSrv(
      routes({ [`POST ${SETTINGS}`]: () => ({ status: 403, body: { message: 'Permission denied' } }) })
    ).install();
    render(<AppConfig {...props()} />);

    await userEvent.type(screen.getByTestId(testIds.appConfig.engineUrl), 'http://engine:8080');
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));

    expect(await screen.findByText('Permission denied')).toBeInTheDocument();
    expect(reload).not.toHaveBeenCalled();
  });
});
