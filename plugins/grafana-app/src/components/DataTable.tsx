import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { tableStyle } from './tableStyle';

/**
 * The app's plain data table in a box that scrolls sideways when its columns need more than the page's width, so the
 * page itself does not: at 600 px (inside Grafana's 16 px page padding) the Overview's workloads needed 598 px of
 * 568 and the Repairs audit log 592. The box is a labelled, focusable region so a keyboard can scroll it too.
 */
export function DataTable(props: { label: string; children: React.ReactNode }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.scroll} role="region" aria-label={props.label} tabIndex={0}>
      <table className={s.table}>{props.children}</table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css`
    overflow-x: auto;
  `,
  table: tableStyle(theme),
});
