import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, EmptyState, useStyles2 } from '@grafana/ui';
import { t, Trans } from '@grafana/i18n';
import { testIds } from '../testIds';
import { UNESCAPED } from '../../locales/unescaped';

/** Before the first analysis: what the page does, what it needs, and a one-click sample on the demo shop. */
export function RcaEmptyState({ onTryDemo, demoNamespace }: { onTryDemo: () => void; demoNamespace: string }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.wrap} data-testid={testIds.rootCause.emptyState}>
      <EmptyState
        variant="call-to-action"
        message={t('rca.empty.message', 'Find what started an incident')}
        button={
          <Button icon="play" variant="secondary" onClick={onTryDemo} data-testid={testIds.rootCause.demo}>
            {t('rca.empty.demo', 'Try the demo ({{namespace}}, last 30 min)', {
              namespace: demoNamespace,
              ...UNESCAPED,
            })}
          </Button>
        }
      >
        <p>
          {t(
            'rca.empty.what',
            "The engine compares the last minutes with the hour before them and with the same hours on earlier days: which service's metrics moved first, which Kubernetes events, log patterns and rollouts came with it, and ranks the likely root causes with a chart of each."
          )}
        </p>
        <p>
          <Trans
            i18nKey="rca.empty.needs"
            defaults="It needs a <strong>namespace</strong>. Name a <strong>service</strong> to explain its symptom, or leave it empty to scan the whole namespace; alerts open here with their service filled in."
            components={{ strong: <strong /> }}
          />
        </p>
      </EmptyState>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css`
    margin-top: ${theme.spacing(4)};
    max-width: 720px;
    p {
      color: ${theme.colors.text.secondary};
    }
  `,
});
