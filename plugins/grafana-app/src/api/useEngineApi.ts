import { createContext, useContext } from 'react';
import { ENGINE_PROXY_URL } from '../constants';
import { createEngineApi, type EngineApi } from './EngineApi';
import { grafanaFetch } from './grafanaFetch';

/** The app's pages reach the engine through the app's plugin-proxy route, which adds the configured token. */
export const defaultEngineApi: EngineApi = createEngineApi({ baseUrl: ENGINE_PROXY_URL, fetchApi: grafanaFetch });

export const EngineApiContext = createContext<EngineApi>(defaultEngineApi);

export const useEngineApi = (): EngineApi => useContext(EngineApiContext);
