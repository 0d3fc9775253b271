import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, badRequest } from './ApiError.js';
import { discoveryDocument } from './discovery.js';
import { ObjectStore } from './ObjectStore.js';
import { parseResourcePath } from './parseResourcePath.js';
import type { PodLogSource } from './PodLogSource.js';
import { ResourceHandlers, type HandlerResult } from './ResourceHandlers.js';
import { ResourceRegistry } from './ResourceRegistry.js';
import { followLog } from './followLog.js';
import { evictPod } from './evictPod.js';
import { answerReview } from './accessReview.js';
import { decodeAccessReview, decodeObject } from './protobufBody.js';
import { openApiDocument, strictFieldErrors } from './openapi.js';
import { serveWatch } from './WatchStream.js';
import { toTable, wantsTable } from './tableView.js';
import type { KubeObject } from './KubeObject.js';

export interface ApiServerOptions {
  store?: ObjectStore;
  registry?: ResourceRegistry;
  logs?: PodLogSource;
  /** When set, requests must carry `Authorization: Bearer <token>`; otherwise any (or no) token is accepted. */
  token?: string;
  bookmarkIntervalMs?: number;
  /** Largest accepted request body. */
  bodyLimitBytes?: number;
  /** Milliseconds clock for what the server itself stamps (evictions in a budget's disruptedPods). */
  clock?: () => number;
}

/**
 * An in-process Kubernetes API server speaking the REST protocol @kubernetes/client-node uses: discovery, CRUD on
 * the resources of the registry, the three patch types, watch, logs, scale, dry run and Status errors.
 */
export class ApiServer {
  readonly store: ObjectStore;
  readonly registry: ResourceRegistry;
  private readonly handlers: ResourceHandlers;
  private readonly server: Server;
  private readonly watches = new Set<() => void>();
  private address?: AddressInfo;

  constructor(private readonly options: ApiServerOptions = {}) {
    this.store = options.store ?? new ObjectStore();
    this.registry = options.registry ?? new ResourceRegistry();
    this.handlers = new ResourceHandlers(this.store, options.logs);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.fail(res, error));
    });
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
    return this.url;
  }

  get url(): string {
    if (!this.address) throw new Error('API server is not listening');
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
    return `http://${host}:${this.address.port}`;
  }

  async close(): Promise<void> {
    for (const stop of [...this.watches]) stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
      throw new ApiError('Unauthorized', 'Unauthorized');
    }
    if (['/healthz', '/livez', '/readyz'].includes(url.pathname)) {
      this.send(res, { status: 200, body: 'ok', contentType: 'text/plain' });
      return;
    }
    if (url.pathname.startsWith('/apis/authorization.k8s.io/')) {
      const review = answerReview(
        method,
        url.pathname,
        method === 'POST' ? await this.readReview(req) : undefined,
      );
      if (review) {
        this.send(res, review);
        return;
      }
    }
    if (url.pathname.startsWith('/openapi/')) {
      this.sendOpenApi(req, res, url.pathname);
      return;
    }
    const target = parseResourcePath(url.pathname, this.registry);
    if (!target) {
      const doc =
        method === 'GET'
          ? discoveryDocument(
              url.pathname,
              this.registry,
              this.address ? `${this.address.address}:${this.address.port}` : '',
            )
          : undefined;
      if (doc === undefined)
        throw new ApiError('NotFound', 'the server could not find the requested resource');
      this.send(res, { status: 200, body: doc });
      return;
    }
    const query = url.searchParams;
    if (target.namespace === undefined && target.type.namespaced && target.name !== undefined) {
      throw new ApiError('NotFound', 'the server could not find the requested resource');
    }
    const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)
      ? await this.readObjectBody(req)
      : undefined;
    if (query.get('fieldValidation') === 'Strict') rejectUnknownFields(body);
    const sub = target.subresource;
    let result: HandlerResult;
    if (target.name === undefined) {
      if (method === 'GET' && query.get('watch') === 'true') {
        const stop = serveWatch(this.store, target, query, res, {
          bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 5_000,
          table: wantsTable(req.headers.accept),
        });
        this.watches.add(stop);
        res.on('close', () => this.watches.delete(stop));
        return;
      }
      if (method === 'GET') result = this.handlers.list(target, query);
      else if (method === 'POST') result = this.handlers.create(target, body, query);
      else if (method === 'DELETE') result = this.handlers.deleteCollection(target, query, body);
      else throw notAllowed(method, target.type.plural);
    } else if (sub === 'log') {
      if (method !== 'GET') throw notAllowed(method, 'pods/log');
      result = this.handlers.readLog(target, query);
      if (query.get('follow') === 'true' && this.options.logs?.follow) {
        const stop = followLog(this.store, this.options.logs, target, query, res, String(result.body));
        this.watches.add(stop);
        res.on('close', () => this.watches.delete(stop));
        return;
      }
    } else if (sub === 'eviction') {
      if (method !== 'POST') throw notAllowed(method, 'pods/eviction');
      const clock = this.options.clock ?? Date.now;
      result = evictPod(
        this.store,
        target,
        body,
        query,
        (q, options) => this.handlers.delete({ ...target, subresource: undefined }, q, options),
        () => new Date(clock()),
      );
    } else if (sub === 'scale') {
      if (method === 'GET') result = this.handlers.getScale(target);
      else if (method === 'PUT') result = this.handlers.updateScale(target, body, query);
      else if (method === 'PATCH')
        result = this.handlers.updateScale(target, body, query, req.headers['content-type'] ?? '');
      else throw notAllowed(method, `${target.type.plural}/scale`);
    } else if (method === 'GET') {
      result = this.handlers.get(target);
    } else if (method === 'PUT') {
      result = this.handlers.replace(target, body, query);
    } else if (method === 'PATCH') {
      result = this.handlers.patch(target, body, req.headers['content-type'] ?? '', query);
    } else if (method === 'DELETE' && !sub) {
      result = this.handlers.delete(target, query, body);
    } else {
      throw notAllowed(method, target.type.plural);
    }
    if (method === 'GET' && !sub && wantsTable(req.headers.accept) && result.status === 200) {
      const body = result.body as {
        items?: KubeObject[];
        metadata?: { resourceVersion?: string };
      } & KubeObject;
      const items = target.name === undefined ? (body.items ?? []) : [body];
      result = { status: 200, body: toTable(target.type, items, String(this.store.resourceVersion)) };
    }
    this.send(res, result);
  }

  /** JSON only: the protobuf form of the OpenAPI v2 document is refused, so client-go does without it. */
  private sendOpenApi(req: IncomingMessage, res: ServerResponse, path: string): void {
    const doc = openApiDocument(path, this.registry);
    if (doc === undefined) throw new ApiError('NotFound', 'the server could not find the requested resource');
    const accept = req.headers.accept ?? '*/*';
    if (!/application\/json|\*\/\*/.test(accept)) {
      throw new ApiError('NotAcceptable', `only application/json is served, not ${accept}`);
    }
    this.send(res, { status: 200, body: doc });
  }

  private async readReview(req: IncomingMessage): Promise<unknown> {
    if (!/protobuf/i.test(req.headers['content-type'] ?? '')) return this.readBody(req);
    try {
      return decodeAccessReview(await this.readRaw(req), (req.url ?? '').includes('selfsubjectrulesreviews'));
    } catch (error) {
      throw badRequest(`the protobuf body of the review could not be read: ${(error as Error).message}`);
    }
  }

  /** JSON, or the protobuf objects kubectl 1.32+ sends that protobufBody.ts reads; other protobuf bodies get 415. */
  private async readObjectBody(req: IncomingMessage): Promise<unknown> {
    const type = req.headers['content-type'] ?? '';
    if (/cbor/i.test(type)) throw unsupportedMediaType();
    if (!/protobuf/i.test(type)) return this.readBody(req);
    let decoded: unknown;
    try {
      decoded = decodeObject(await this.readRaw(req));
    } catch (error) {
      throw badRequest(`the protobuf body could not be read: ${(error as Error).message}`);
    }
    if (decoded === undefined) throw unsupportedMediaType();
    return decoded;
  }

  private async readBody(req: IncomingMessage): Promise<unknown> {
    const text = (await this.readRaw(req)).toString('utf8');
    if (!text.trim()) return undefined;
    try {
      return JSON.parse(text);
    } catch (error) {
      throw badRequest(`the body of the request is not valid JSON: ${(error as Error).message}`);
    }
  }

  private async readRaw(req: IncomingMessage): Promise<Buffer> {
    const limit = this.options.bodyLimitBytes ?? 3 * 1024 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new ApiError('BadRequest', `request body larger than ${limit} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private send(res: ServerResponse, result: HandlerResult): void {
    const contentType = result.contentType ?? 'application/json';
    const payload = contentType === 'application/json' ? JSON.stringify(result.body) : String(result.body);
    res.writeHead(result.status, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }

  private fail(res: ServerResponse, error: unknown): void {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError('InternalError', `internal error: ${(error as Error)?.message ?? String(error)}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const retryAfter = apiError.details?.retryAfterSeconds;
    if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
    this.send(res, { status: apiError.code, body: apiError.toStatus() });
  }
}

function unsupportedMediaType(): ApiError {
  return new ApiError(
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
  );
}

function rejectUnknownFields(body: unknown): void {
  const errors = strictFieldErrors(body);
  if (errors.length) throw badRequest(`strict decoding error: ${errors.join(', ')}`);
}

function notAllowed(method: string, resource: string): ApiError {
  return new ApiError(
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method} ${resource})`,
  );
}
