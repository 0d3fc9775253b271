import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Collapse, useStyles2 } from '@grafana/ui';
import { t } from '@grafana/i18n';
import { testIds } from '../testIds';
import { leadOf } from './candidateReason';

/** The narrative's lead (at most three sentences) with the full text one click away. */
export function NarrativeSummary({ narrative, source }: { narrative: string; source: 'template' | 'model' }) {
  const s = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  const { lead, truncated } = leadOf(narrative);
  return (
    <div className={s.section} data-testid={testIds.rootCause.narrative}>
      <h3>{t('rca.narrative.title', 'Summary')}</h3>
      <p>{lead}</p>
      {truncated && (
        <div data-testid={testIds.rootCause.narrativeDetails}>
          <Collapse label={t('rca.narrative.full', 'Full narrative')} isOpen={open} onToggle={() => setOpen(!open)}>
            <p className={s.full}>{narrative}</p>
            <p className={s.muted}>
              {source === 'model'
                ? t('rca.narrative.by-model', 'Written by the configured model.')
                : t('rca.narrative.by-template', 'Written from the ranked evidence.')}
            </p>
          </Collapse>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css`
    margin-top: ${theme.spacing(3)};
    max-width: 960px;
  `,
  full: css`
    white-space: pre-wrap;
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
