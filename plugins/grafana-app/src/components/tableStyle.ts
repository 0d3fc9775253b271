import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/** The plain data table the app's pages share (Overview, Repairs, Alerts), drawn from the theme. */
export const tableStyle = (theme: GrafanaTheme2) => css`
  width: 100%;
  border-collapse: collapse;
  th,
  td {
    text-align: left;
    padding: ${theme.spacing(0.5, 1)};
    border-bottom: 1px solid ${theme.colors.border.weak};
    vertical-align: top;
  }
  th {
    /* A column name on one line: Chinese breaks between any two characters, and at 1280 px beside the Overview's long
       reasons '健康状态', '就绪' and '重启次数' each broke in two ('健康状 / 态'). DataTable scrolls if they do not fit. */
    white-space: nowrap;
    color: ${theme.colors.text.secondary};
    font-weight: ${theme.typography.fontWeightMedium};
  }
`;
