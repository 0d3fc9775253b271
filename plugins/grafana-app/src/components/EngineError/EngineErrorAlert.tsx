import React from 'react';
import { Alert } from '@grafana/ui';
import { t } from '@grafana/i18n';
import { EngineApiError } from '../../api/EngineApi';

/** Shows an engine failure with its code and, for bad input, the fields to fix. */
export function EngineErrorAlert({ error, title, testId }: { error: unknown; title: string; testId?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const engineError = error instanceof EngineApiError ? error : undefined;
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
      {engineError?.status === 404 && (
        <div>
          {t('engine-error.not-served', 'The engine does not serve this endpoint yet; check the engine version.')}
        </div>
      )}
    </Alert>
  );
}
