import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { ControlledCollapse, useStyles2 } from '@grafana/ui';

/**
 * One of the engine's long reasons (why this model, this plan, this backtest choice), collapsed under a short label:
 * shown in full they were 5–8 lines above the chart. Opened on a click.
 */
export function ReasonDetails({ label, children }: { label: string; children: React.ReactNode }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.details}>
      <ControlledCollapse label={label} isOpen={false}>
        <p className={s.reason}>{children}</p>
      </ControlledCollapse>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  details: css`
    max-width: 960px;
    margin-top: ${theme.spacing(1)};
    font-size: ${theme.typography.body.fontSize};
  `,
  reason: css`
    margin: 0;
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
