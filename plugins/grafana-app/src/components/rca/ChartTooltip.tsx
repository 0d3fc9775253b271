import React from 'react';
import { css } from '@emotion/css';
import { formattedValueToString, getFieldDisplayName, type DataFrame, type GrafanaTheme2 } from '@grafana/data';
import { TooltipPlugin2, useStyles2, type UPlotConfigBuilder } from '@grafana/ui';
import { testIds } from '../testIds';
import { utcDateTime } from '../../utils/utcTime';

/**
 * TooltipHoverMode.xAll: a `const enum` of @grafana/ui/internal, which is not among the modules Grafana shares with
 * plugins, so its value is written here (every series at the hovered time, as Grafana's time series panel does).
 */
const HOVER_ALL_SERIES = 1;

/**
 * Grafana's own tooltip plugin (TooltipPlugin2) on a standalone TimeSeries: hovering shows the time and every series
 * shown in tooltips, formatted by the fields' display processors (the browser test hovers one). `clientZoom` switches
 * on its drag-to-zoom as in a Grafana panel; no test drags yet. Grafana's TimeSeriesTooltip is a core panel component, not
 * exported, hence this small content renderer.
 */
export function ChartTooltip({ config, frame }: { config: UPlotConfigBuilder; frame: DataFrame }) {
  const s = useStyles2(getStyles);
  return (
    <TooltipPlugin2
      config={config}
      hoverMode={HOVER_ALL_SERIES as React.ComponentProps<typeof TooltipPlugin2>['hoverMode']}
      clientZoom
      render={(_u, dataIdxs) => {
        const at = dataIdxs.find((i) => i !== null && i !== undefined);
        if (at === undefined || at === null) {
          return null;
        }
        const time = frame.fields[0]?.values[at] as number | undefined;
        const rows = frame.fields.slice(1).flatMap((field, i) => {
          const value = field.values[dataIdxs[i + 1] ?? at];
          if (value === null || value === undefined || field.config.custom?.hideFrom?.tooltip || !field.display) {
            return [];
          }
          return [{ name: getFieldDisplayName(field, frame), value: formattedValueToString(field.display(value)) }];
        });
        return (
          <div className={s.tooltip} data-testid={testIds.charts.tooltip}>
            {time !== undefined && <div className={s.time}>{utcDateTime(time)}</div>}
            {rows.map((r) => (
              <div key={r.name} className={s.row}>
                <span>{r.name}</span>
                <strong>{r.value}</strong>
              </div>
            ))}
          </div>
        );
      }}
    />
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css`
    padding: ${theme.spacing(1)};
    background: ${theme.colors.background.elevated};
    border: 1px solid ${theme.colors.border.weak};
    border-radius: ${theme.shape.radius.default};
    box-shadow: ${theme.shadows.z2};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  time: css`
    color: ${theme.colors.text.secondary};
    margin-bottom: ${theme.spacing(0.5)};
  `,
  row: css`
    display: flex;
    justify-content: space-between;
    gap: ${theme.spacing(2)};
  `,
});
