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
    color: ${theme.colors.text.secondary};
    font-weight: ${theme.typography.fontWeightMedium};
  }
`;
