import type { FastifyInstance } from 'fastify';
import { configSchema, type Role } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';

/**
 * The real fastify app of an engine on the simulated cluster, auth on with `tokens`, and a forecast small enough for
 * a test (2 days of history, a 4-unit LSTM for one epoch on at most 200 windows): the set-up of the forecast route
 * tests, which call it through app.inject. The caller closes the app, then the engine.
 */
export async function startForecastApp(
  tokens: Array<{ name: string; token: string; role: Role }>,
): Promise<{ engine: Engine; app: FastifyInstance }> {
  const engine = await createEngine(
    configSchema.parse({
      logLevel: 'silent',
      cluster: { kind: 'simulated', injectFaults: false },
      server: { auth: { enabled: true, tokens } },
      forecast: { historyDays: 2, lstm: { units: 4, epochs: 1, maxWindows: 200, minWindows: 50 } },
    }),
  );
  try {
    const app = await buildApp(engine);
    await app.ready();
    return { engine, app };
  } catch (error) {
    await engine.close();
    throw error;
  }
}
