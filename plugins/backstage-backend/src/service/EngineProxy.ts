import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { ENGINE_UNREACHABLE } from '@ai-cloudops/backstage-plugin-common';
import type { EngineSettings } from './readEngineSettings';
import {
  refuseToken,
  TokenRefusalLog,
  tokenRefusalOfBody,
  tokenRefusedMessage,
  type EngineToken,
} from './engineTokenRefusal';

// Only the engine's API is reachable; `..` and encoded slashes are refused before forwarding. Not its probes: /readyz
// answers the backend's token with every source's details (the cluster API's and Redis' internal addresses, their
// errors), which no portal user needs (the tab never calls them) and the engine keeps from anonymous callers.
const FORWARDABLE_PATH = /^\/api\/v1(\/[A-Za-z0-9_.~:-]+)*$/;
// Response headers that describe the payload; hop-by-hop and cookie headers stay behind.
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'cache-control', 'etag', 'last-modified', 'location'];

/** The reason behind a failed fetch, for the log: "fetch failed: connect ECONNREFUSED 127.0.0.1:7007". */
export function fetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && error.cause.message ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * Forwards a call the router has authorized to the engine with a server-side token, so the browser never holds it.
 * Streams the reply, which keeps SSE (job progress, assistant tokens) live.
 */
export class EngineProxy {
  private constructor(
    private readonly settings: EngineSettings,
    private readonly logger: { warn(message: string): void } | undefined,
    private readonly refusals: TokenRefusalLog,
  ) {}

  /** `refusals` is shared with the backend's other engine calls, so one wrong token is logged once. */
  static create(
    settings: EngineSettings,
    logger?: { warn(message: string): void },
    refusals: TokenRefusalLog = new TokenRefusalLog(logger),
  ): EngineProxy {
    return new EngineProxy(settings, logger, refusals);
  }

  /** Refuses paths outside the engine's API before any permission is looked up. */
  static checkPath(path: string): void {
    if (!FORWARDABLE_PATH.test(path) || path.split('/').some((segment) => segment === '..' || segment === '.')) {
      throw new InputError(`engine path '${path}' is not forwarded: only /api/v1/... is`);
    }
  }

  /**
   * `token` is the portal's token for this call with its config key. When the engine refuses that token (401, or
   * 403 FORBIDDEN) the user gets 502 naming the key: passing the 401 on read as if the user were not signed in.
   * `user` is the signed-in user's entity ref, named to the engine when `engine.actsForUsers` is on. `onJobStarted`
   * is told the id of a job the engine started for this call (a 202 with a job record), before the reply reaches the
   * browser, so the job's owner is known by the time anyone can ask to cancel it.
   */
  async forward(
    path: string,
    req: Request,
    res: Response,
    token: EngineToken,
    user: string,
    onJobStarted?: (jobId: string) => Promise<void>,
  ): Promise<void> {
    EngineProxy.checkPath(path);

    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const headers: Record<string, string> = { accept: req.get('accept') ?? 'application/json' };
    if (token.value) headers.authorization = `Bearer ${token.value}`;
    // Reads need only aicloudops.read, whoever asks: the engine serves them as to a viewer, whatever the token's role
    // (job records without the params they were started with, e.g. an RCA's target).
    if (req.method === 'GET') headers['x-aicloudops-role'] = 'viewer';
    // The engine then records the person (acknowledgedBy, a repair's decidedBy), not the portal's token.
    if (this.settings.actsForUsers) headers['x-aicloudops-user'] = user;
    let body: string | undefined;
    if (req.method === 'POST') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.body ?? {});
    }

    // The deadline covers waiting for the engine's first byte; a stream that has started may run as long as the
    // user keeps it open, and closing the tab aborts the upstream call.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    res.on('close', () => controller.abort());
    let upstream: globalThis.Response;
    try {
      upstream = await fetch(`${this.settings.baseUrl}${path}${query}`, {
        method: req.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: controller.signal,
        redirect: 'manual',
      });
    } catch (error) {
      this.logger?.warn(`engine at ${this.settings.baseUrl} unreachable for ${req.method} ${path}: ${fetchFailure(error)}`);
      throw new ServiceUnavailableError(ENGINE_UNREACHABLE);
    } finally {
      clearTimeout(timer);
    }

    if (upstream.status === 401 || upstream.status === 403) {
      await this.answerRefusal(upstream, req, res, token, path);
      return;
    }
    this.refusals.accepted();

    copyHead(upstream, res);
    if (!upstream.body) {
      res.end();
      return;
    }
    if (onJobStarted && upstream.status === 202 && (upstream.headers.get('content-type') ?? '').includes('json')) {
      // A job record is a few kilobytes: read whole, so its id is recorded before the user can see it.
      const text = await upstream.text();
      const id = jobIdOf(text);
      if (id) await onJobStarted(id);
      res.end(text);
      return;
    }
    if ((upstream.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      // `no-transform` keeps Backstage's compression middleware from buffering events until the stream ends.
      res.setHeader('cache-control', 'no-cache, no-transform');
      res.setHeader('x-accel-buffering', 'no');
      res.flushHeaders();
    }
    await new Promise<void>((resolve) => {
      const stream = Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream<Uint8Array>);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      stream.on('end', resolve);
      res.on('close', resolve);
      stream.pipe(res);
    });
  }

  /** A 401 or 403: 502 naming the token's key when the engine refused the token, else the engine's answer as it is. */
  private async answerRefusal(
    upstream: globalThis.Response,
    req: Request,
    res: Response,
    token: EngineToken,
    path: string,
  ): Promise<void> {
    const text = await upstream.text();
    const reason = tokenRefusalOfBody(req.method, upstream.status, text);
    if (reason !== undefined) {
      this.refusals.refused(token.setting, upstream.status, reason, `${req.method} ${path}`);
      refuseToken(res, req, tokenRefusedMessage(token.setting, reason));
      return;
    }
    // The engine's other refusals (a 403 POLICY_DENIED: its safety policy) answer the call: passed on as they are.
    copyHead(upstream, res);
    res.end(text);
  }
}

/** The engine's status and the response headers that describe its payload. */
function copyHead(upstream: globalThis.Response, res: Response): void {
  res.status(upstream.status);
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) res.setHeader(name, value);
  }
}

function jobIdOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { id?: unknown; status?: unknown };
    return typeof body.id === 'string' && typeof body.status === 'string' ? body.id : undefined;
  } catch {
    return undefined;
  }
}
