import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, useStyles2 } from '@grafana/ui';
import { t } from '@grafana/i18n';
import { EngineApiError } from '../../api/EngineApi';
import { isRetryableEngineError, type EngineQueryState } from '../../api/useEngineQuery';
import { testIds } from '../testIds';

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

/** A read's Retry (and its next automatic attempt): the state useEngineQuery returns, or a page's own re-run. */
export type RetryControl = Pick<EngineQueryState<unknown>, 'retry' | 'nextRetryAt'>;

/**
 * Shows an engine failure with its code and, for bad input, the fields to fix. With `retry`, when the engine did not
 * answer or answered 5xx (trying again can help; a 4xx would fail the same), a Retry button and, while an automatic
 * attempt is scheduled, when it comes.
 */
export function EngineErrorAlert(props: { error: unknown; title: string; testId?: string; retry?: RetryControl }) {
  const { error, title, testId, retry } = props;
  const engineError = error instanceof EngineApiError ? error : undefined;
  // Keyed by the due time, so each schedule counts down from its own start.
  const retryRow = retry && isRetryableEngineError(error) ? <RetryRow key={retry.nextRetryAt} {...retry} /> : null;
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
        {retryRow}
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
      {retryRow}
    </Alert>
  );
}

function RetryRow({ retry, nextRetryAt }: RetryControl) {
  const s = useStyles2(getStyles);
  const seconds = useSecondsUntil(nextRetryAt);
  return (
    <div className={s.retry}>
      <Button size="sm" variant="secondary" icon="sync" onClick={retry} data-testid={testIds.engineError.retry}>
        {t('engine-error.retry', 'Retry')}
      </Button>
      {seconds !== undefined && (
        <span className={s.muted} role="status" data-testid={testIds.engineError.retryIn}>
          {t('engine-error.retrying-in', 'Trying again on its own in {{seconds}} s', { seconds })}
        </span>
      )}
    </div>
  );
}

/** Whole seconds until `at`, re-rendered each second; undefined when none is due (or it is being tried now). */
function useSecondsUntil(at: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === undefined) {
      return undefined;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  const seconds = at === undefined ? 0 : Math.ceil((at - now) / 1000);
  return seconds > 0 ? seconds : undefined;
}

const getStyles = (theme: GrafanaTheme2) => ({
  retry: css`
    display: flex;
    align-items: center;
    gap: ${theme.spacing(1)};
    margin-top: ${theme.spacing(1)};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
