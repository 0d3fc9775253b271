import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { EngineError, fieldMessage, invalidRequest, isEngineError, type FieldIssue } from '../errors.js';
import { printable } from '../util/printable.js';
import { redactText } from '../util/redact.js';
import { RouteTable } from './methodNotAllowed.js';

/** fastify's default maxParamLength, which the server keeps: ids and names in paths are far shorter. */
const MAX_PARAM_LENGTH = 100;

export interface ErrorBody {
  error: { code: string; message: string; issues?: FieldIssue[]; requestId?: string };
}

/** The one place where failures become HTTP responses; 5xx bodies never carry internals. */
export function registerErrorHandler(app: FastifyInstance, routes: RouteTable = new RouteTable()): void {
  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const engineError = toEngineError(error);
    const status = statusOf(error, engineError);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else
      request.log.info(
        { code: engineError.code, issues: engineError.issues },
        redactText(engineError.message),
      );
    const body: ErrorBody = {
      error: {
        code: engineError.code,
        // Upstream errors name their source's URL; its credentials stay in the engine.
        message:
          status >= 500 && engineError.code === 'INTERNAL'
            ? 'internal error'
            : redactText(engineError.message),
        ...(engineError.issues.length > 0 ? { issues: engineError.issues } : {}),
        requestId: String(request.id),
      },
    };
    if (engineError.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(Math.ceil(engineError.retryAfterSeconds)));
    void reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const allowed = routes.allowedMethods(request.url);
    const path = request.url.split('?', 1)[0];
    if (allowed.length > 0)
      void reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send({
          error: {
            code: 'METHOD_NOT_ALLOWED',
            message: `${path} does not answer ${request.method}; it answers ${allowed.join(', ')}`,
            requestId: String(request.id),
          },
        } satisfies ErrorBody);
    else
      void reply.status(404).send({
        error: {
          code: 'NOT_FOUND',
          message: `no route ${request.method} ${request.url}`,
          requestId: String(request.id),
        },
      } satisfies ErrorBody);
  });
}

/**
 * Errors fastify answers before routing, which skip setErrorHandler: the same body shape, with the path named as the
 * field. FST_ERR_BAD_URL is a path that is not valid percent-encoded UTF-8; FST_ERR_MAX_PARAM_LENGTH a path segment
 * over fastify's maxParamLength (100), which was answered "must be valid percent-encoded UTF-8" with the whole
 * segment echoed back (found walking the README: GET /rca/<300 characters>).
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const body: ErrorBody = {
    error: {
      code: 'BAD_REQUEST',
      message: tooLong ? `a path parameter is longer than ${MAX_PARAM_LENGTH} characters` : error.message,
      issues: [
        {
          field: 'path',
          message: tooLong ? `at most ${MAX_PARAM_LENGTH} characters` : 'must be valid percent-encoded UTF-8',
        },
      ],
      requestId: String(request.id),
    },
  };
  void reply.status(400).send(body);
}

/** The id of the request a socket is serving, so an answer Node gives on that socket carries it. */
const requestIdBySocket = new WeakMap<Socket, string>();

/** onRequest: the socket now serves this request (a keep-alive socket serves one after another). */
export function rememberRequestId(request: FastifyRequest): void {
  requestIdBySocket.set(request.raw.socket, String(request.id));
}

/** onResponse: the socket is between requests again (a later timeout there is a new request's). */
export function forgetRequestId(request: FastifyRequest): void {
  if (requestIdBySocket.get(request.raw.socket) === String(request.id))
    requestIdBySocket.delete(request.raw.socket);
}

/**
 * fastify's clientErrorHandler: what Node answers itself on the socket, in the engine's error body. A body that
 * trickles in past server.requestTimeoutSeconds was answered `408 {"error":"Request Timeout","message":"Client
 * Timeout","statusCode":408}` (found walking the README); a malformed request or oversized headers likewise in
 * fastify's own shape. The request id is the one the request was given if fastify had started it (headers read),
 * else a new one. The socket is closed afterwards, as Node and fastify do.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const timeoutMs = (this.initialConfig as { requestTimeout?: number }).requestTimeout ?? 0;
  const [status, code, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [
          408,
          'TIMEOUT',
          `the request did not arrive within server.requestTimeoutSeconds (${timeoutMs / 1000} s); the connection is closed`,
        ]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'BAD_REQUEST', 'the request headers are larger than the server accepts']
        : [400, 'BAD_REQUEST', 'malformed HTTP request'];
  const requestId = requestIdBySocket.get(socket) ?? randomUUID();
  this.log.info({ code, requestId, err: error }, message);
  if (socket.writable) {
    const body = JSON.stringify({ error: { code, message, requestId } } satisfies ErrorBody);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nx-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function statusOf(error: unknown, engineError: EngineError): number {
  const fastifyStatus = (error as FastifyError).statusCode;
  if (!isEngineError(error) && engineError.code === 'BAD_REQUEST' && fastifyStatus && fastifyStatus >= 400) {
    return fastifyStatus;
  }
  return engineError.status;
}

/** A validator's issues (`instancePath` `/target/service`) as fields named from the request part (`body.target.service`). */
export function validationIssues(
  part: string,
  validation: Array<{ instancePath?: string; message?: string }>,
): FieldIssue[] {
  return validation.map((v) => {
    const path = (v.instancePath ?? '').split('/').filter(Boolean).map(printable).join('.');
    return { field: [part, path].filter(Boolean).join('.'), message: fieldMessage(v.message ?? 'invalid') };
  });
}

function toEngineError(error: unknown): EngineError {
  if (isEngineError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = (error as { validationContext?: string }).validationContext ?? 'body';
    return invalidRequest(validationIssues(part, error.validation));
  }
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new EngineError('BAD_REQUEST', `malformed JSON body: ${fastifyError.message}`, {
        issues: [{ field: 'body', message: 'malformed JSON' }],
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new EngineError('BAD_REQUEST', 'request body is larger than server.bodyLimitBytes', {
        issues: [{ field: 'body', message: 'too large' }],
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new EngineError('BAD_REQUEST', `unsupported content type: ${fastifyError.message}`, {
        issues: [{ field: 'content-type', message: 'unsupported' }],
      });
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new EngineError('BAD_REQUEST', fastifyError.message);
  }
  return new EngineError('INTERNAL', fastifyError.message ?? 'internal error', { cause: error });
}
