import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { randomUUID } from 'node:crypto';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Engine } from '../engine.js';
import { assertSameOriginWrite, authPlugin, corsAllows, ROLE_HEADER } from './auth.js';
import { endSubscriptions } from './sse.js';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  registerErrorHandler,
  rememberRequestId,
  forgetRequestId,
} from './errorHandler.js';
import { RouteTable } from './methodNotAllowed.js';
import { documentAccess } from './documentAccess.js';
import { transformDocument, transformRoute } from './openApiDocument.js';
import { httpMetricsPlugin } from './httpMetrics.js';
import { healthRoutes } from './routes/healthRoutes.js';
import { clusterRoutes } from './routes/clusterRoutes.js';
import { metricsRoutes } from './routes/metricsRoutes.js';
import { jobRoutes } from './routes/jobRoutes.js';
import { configRoutes } from './routes/configRoutes.js';
import { demoRoutes } from './routes/demoRoutes.js';
import { capabilityRoutes } from './routes/capabilityRoutes.js';
import { refuseUndeclaredInput, strictRequests } from './strictRequests.js';

export const API_PREFIX = '/api/v1';
export const ENGINE_VERSION = '0.1.0';

/**
 * Builds the HTTP app around an engine without listening, so tests call `app.inject` and server.ts only listens and
 * shuts down. Every route is a plugin; auth covers all routes not marked public.
 */
export async function buildApp(engine: Engine): Promise<FastifyInstance> {
  const { config } = engine;
  const requestTimeoutMs = config.server.requestTimeoutSeconds * 1000;
  const app = Fastify({
    loggerInstance: engine.context.logger,
    bodyLimit: config.server.bodyLimitBytes,
    requestTimeout: requestTimeoutMs,
    // Node checks request deadlines every connectionsCheckingInterval (30 s by default): a 1 s limit let a slow body
    // live 30 s. Headers have to arrive within the same limit.
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(60_000, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(5_000, requestTimeoutMs),
    },
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    },
    // Graceful shutdown: idle keep-alive sockets close at once, in-flight requests are allowed to finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    // Node answers a request over requestTimeout (and a malformed one) itself: in the engine's error body here.
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('sseStreams', {
    open: 0,
    max: config.server.maxSseStreams,
    maxPerCaller: config.server.maxSseStreamsPerCaller,
    byCaller: new Map<string, number>(),
    subscriptions: new Set<AbortController>(),
  });
  app.setValidatorCompiler(strictRequests(validatorCompiler));
  app.setSerializerCompiler(serializerCompiler);
  const routes = new RouteTable();
  registerErrorHandler(app as unknown as FastifyInstance, routes);
  app.addHook('onRoute', documentAccess);
  app.addHook('onRoute', routes.add);
  // The implied request schemas (strictRequests.ts): kept by any copy of a route's schema, so in any hook order.
  app.addHook('onRoute', refuseUndeclaredInput);
  app.addHook('onRequest', async (request) => rememberRequestId(request));
  app.addHook('onResponse', async (request) => forgetRequestId(request));
  const corsOrigins = new Set(config.server.corsOrigins);
  // Before auth: a cross-site page gets nothing done, whatever the route takes (auth.ts, assertSameOriginWrite).
  app.addHook('onRequest', async (request) => assertSameOriginWrite(request, corsOrigins));

  // Once closing, answers end their connection: a keep-alive socket that was busy when close() began is otherwise
  // kept for fastify's 72 s keepAliveTimeout, and SIGTERM waited that long for a query cancelled in 1 s.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    endSubscriptions(app as unknown as FastifyInstance);
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
    if (closing) void reply.header('connection', 'close');
  });
  if (corsOrigins.size > 0) {
    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (origin && corsAllows(corsOrigins, origin)) {
        void reply.header('access-control-allow-origin', origin);
        void reply.header('vary', 'origin');
        // The role header too: a browser app may ask to be served as a lesser role (auth.ts, ROLE_HEADER), and a
        // browser sends no request whose headers the preflight did not allow.
        void reply.header(
          'access-control-allow-headers',
          `authorization, content-type, accept, x-request-id, ${ROLE_HEADER}`,
        );
        void reply.header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
        if (request.method === 'OPTIONS') return reply.status(204).send();
      }
    });
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'AI-CloudOps engine API',
        version: ENGINE_VERSION,
        description:
          'RCA, forecasting and autoscaling, Kubernetes auto-repair, unified alerting, the ops assistant, and the cluster view behind them.',
        license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      },
      servers: [{ url: '/', description: 'this engine' }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    transform: transformRoute,
    transformObject: transformDocument,
  });

  await app.register(httpMetricsPlugin, { metrics: engine.metrics });
  await app.register(authPlugin, {
    ...config.server.auth,
    listenHost: config.server.host,
    allowedHosts: config.server.allowedHosts,
  });

  await app.register(healthRoutes, { engine });
  await app.register(
    async (api) => {
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
      await api.register(clusterRoutes, { engine });
      await api.register(metricsRoutes, { engine });
      await api.register(jobRoutes, { engine });
      await api.register(configRoutes, { engine });
      await api.register(capabilityRoutes, { engine });
    },
    { prefix: API_PREFIX },
  );
  if (engine.demo) await app.register(demoRoutes, { engine });
  return app as unknown as FastifyInstance;
}
