import type { EngineConfigInput } from '../../src/config/schema.js';

/**
 * The shared part of the config of the tests that start a real engine and call it as two users: silent logs, a free
 * port, bearer auth with one operator and one viewer token, and the simulated cluster without injected faults. The
 * names are the caller's because the engine records them (who acknowledged an alert, who approved a repair). Tests
 * spread it and add their store, alerts and the rest.
 */
export function operatorAndViewerConfig(
  operator: { name: string; token: string },
  viewer: { name: string; token: string },
): Pick<EngineConfigInput, 'logLevel' | 'server' | 'cluster'> {
  return {
    logLevel: 'silent',
    server: {
      port: 0,
      auth: {
        enabled: true,
        tokens: [
          { ...operator, role: 'operator' },
          { ...viewer, role: 'viewer' },
        ],
      },
    },
    cluster: { kind: 'simulated', injectFaults: false },
  };
}
