import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { EngineError, isEngineError, type FieldIssue } from '../errors.js';
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
    const path = (v.instancePath ?? '').split('/').filter(Boolean).join('.');
    return { field: [part, path].filter(Boolean).join('.'), message: v.message ?? 'invalid' };
  });
}

/** The one wording of a refused request: every field and what is wrong with it. */
export function invalidRequest(issues: FieldIssue[]): EngineError {
  return new EngineError(
    'INVALID_INPUT',
    `invalid request: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    { issues },
  );
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
