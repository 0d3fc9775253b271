import React from 'react';
import { Alert } from '@grafana/ui';
import { t } from '@grafana/i18n';
import { EngineApiError } from '../../api/EngineApi';

/**
 * Gateway answers without the engine's error body: Grafana's plugin proxy answers 502 with an empty body when the
 * engine refuses the connection, and 503/504 when it is overloaded or times out. The client then only knows the
 * status ("HTTP_502: request failed"), which does not tell a user that the engine is down.
 */
const UNREACHABLE = new Set([502, 503, 504]);

/** A 404 for a path without a route: the engine's own wording, and Fastify's default of older engines. */
const NO_ROUTE = /^no route |^Route \S+ not found/;

/** True when the engine itself did not answer: a gateway status that carries no engine error code. */
export function isEngineUnreachable(error: unknown): boolean {
  return error instanceof EngineApiError && UNREACHABLE.has(error.status) && error.code.startsWith('HTTP_');
}

/**
 * The engine's message without the field list it repeats ("invalid request: body.x: must be ..."), since the
 * fields are listed below it one per line.
 */
function summary(error: EngineApiError): string {
  const first = error.issues[0];
  if (!first) {
    return error.message;
  }
  const at = error.message.indexOf(`: ${first.field}`);
  return at > 0 ? error.message.slice(0, at) : error.message;
}

/** Shows an engine failure with its code and, for bad input, the fields to fix. */
export function EngineErrorAlert({ error, title, testId }: { error: unknown; title: string; testId?: string }) {
  const engineError = error instanceof EngineApiError ? error : undefined;
  if (isEngineUnreachable(error)) {
    return (
      <Alert severity="error" title={title} data-testid={testId}>
        <div>
          {t(
            'engine-error.unreachable',
            'Grafana could not reach the engine (HTTP {{status}}). Check that the engine is running at the URL set on the app’s configuration page, then try again.',
            { status: engineError!.status }
          )}
        </div>
      </Alert>
    );
  }
  const message = engineError ? summary(engineError) : error instanceof Error ? error.message : String(error);
  return (
    <Alert severity="error" title={title} data-testid={testId}>
      <div>
        {engineError ? `${engineError.code}: ` : ''}
        {message}
      </div>
      {engineError && engineError.issues.length > 0 && (
        <ul>
          {engineError.issues.map((issue) => (
            <li key={`${issue.field}:${issue.message}`}>
              <code>{issue.field}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
      {/* The engine's own 404 for a path it has no route for, as against a resource it does not hold. */}
      {engineError?.status === 404 && NO_ROUTE.test(engineError.message) && (
        <div>
          {t('engine-error.not-served', 'The engine does not serve this endpoint yet; check the engine version.')}
        </div>
      )}
    </Alert>
  );
}
