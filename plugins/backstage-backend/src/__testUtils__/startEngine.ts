import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer, type EngineConfigInput } from '@ai-cloudops/engine';

export interface TestEngine {
  url: string;
  close(): Promise<void>;
}

/** A real engine in this process: demo profile (simulated cluster, synthetic metrics), on a free loopback port. */
export async function startEngine(
  options: {
    token?: string;
    /** marks the token a trusted front-end (`actsForUsers` in server.auth.tokens) */ actsForUsers?: boolean;
    /** the engine's `model` config (e.g. a loopback OpenAI-compatible server) */ model?: EngineConfigInput['model'];
  } = {},
): Promise<TestEngine> {
  const server = await startServer({
    config: {
      logLevel: 'silent',
      server: {
        host: '127.0.0.1',
        port: 0,
        auth: options.token
          ? {
              enabled: true,
              tokens: [
                {
                  name: 'backstage',
                  token: options.token,
                  role: 'operator',
                  ...(options.actsForUsers ? { actsForUsers: true } : {}),
                },
              ],
            }
          : { enabled: false, tokens: [] },
      },
      cluster: { kind: 'simulated', injectFaults: false },
      ...(options.model ? { model: options.model } : {}),
    },
  });
  return { url: server.url, close: () => server.close() };
}

/** A loopback URL where nothing listens: a port that was free a moment ago. */
export async function unusedUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
