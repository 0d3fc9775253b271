import { createContext, useContext } from 'react';
import { ENGINE_ADMIN_PROXY_URL, ENGINE_PROXY_URL } from '../constants';
import { createEngineApi, type EngineApi } from './EngineApi';
import { grafanaFetch } from './grafanaFetch';

/**
 * The app's pages reach the engine through the app's plugin-proxy routes, which add the configured token: reads and
 * Editor actions through `engine`, admin actions (repair approvals, the kill switch) through `engine-admin`.
 */
export const defaultEngineApi: EngineApi = createEngineApi({
  baseUrl: ENGINE_PROXY_URL,
  adminBaseUrl: ENGINE_ADMIN_PROXY_URL,
  fetchApi: grafanaFetch,
  // Late-bound: the browser's fetch, looked up per call (tests and older browsers may install their own).
  streamFetchApi: (input, init) => window.fetch(input, init),
});

export const EngineApiContext = createContext<EngineApi>(defaultEngineApi);

export const useEngineApi = (): EngineApi => useContext(EngineApiContext);
