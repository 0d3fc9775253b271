import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { LinkButton, useStyles2 } from '@grafana/ui';
import { t } from '@grafana/i18n';
import type { RcaCandidate } from '../../api/types';
import { testIds } from '../testIds';
import { UNESCAPED } from '../../locales/unescaped';
import { exploreUrl } from '../../utils/exploreUrl';
import { changeKindLabel, deviationText, fmt, signalLabel } from './candidateReason';
import { utcClock, wallClock } from '../../utils/utcTime';
import { groupEvents } from './groupEvents';

export interface ExploreTarget {
  range: { from: number | string; to: number | string };
  promUid?: string;
}

/**
 * One line per kind of evidence and thing: a metric with its move, a change, a Kubernetes event grouped by reason
 * and object (count, first and last seen), a log template with its burst.
 */
export function EvidenceLines({ evidence, explore }: { evidence: RcaCandidate['evidence']; explore: ExploreTarget }) {
  const s = useStyles2(getStyles);
  const { metrics, changes, events, logs } = evidence;
  return (
    <ul className={s.list} data-testid={testIds.rootCause.evidence}>
      {metrics.map((m, i) => (
        <li key={`m${i}`}>
          <span className={s.kind}>{t('rca.evidence.metric', 'metric')}</span>
          {signalLabel(m.signal)}: {fmt(m.baselineMedian)} → {fmt(m.incidentValue)}
          {m.unit ? ` ${m.unit}` : ''}
          {t('rca.evidence.deviation', ' ({{deviation}})', { deviation: deviationText(m), ...UNESCAPED })}
          {m.changePoint !== undefined &&
            t('rca.evidence.changed-at', ', changed at {{time}}', { time: utcClock(m.changePoint) })}
          {m.promql && (
            <>
              {' '}
              <LinkButton
                href={exploreUrl(m.promql, explore.range, explore.promUid)}
                size="sm"
                fill="text"
                icon="compass"
                title={m.promql}
              >
                {t('rca.evidence.explore', 'Explore')}
              </LinkButton>
            </>
          )}
        </li>
      ))}
      {changes.map((c, i) => (
        <li key={`c${i}`}>
          <span className={s.kind}>{changeKindLabel(c.kind)}</span>
          {utcClock(c.time)} {c.description}
        </li>
      ))}
      {groupEvents(events).map((g) => (
        <li key={`e${g.reason}/${g.object}`}>
          <span className={s.kind}>{t('rca.evidence.event', 'event')}</span>
          {t('rca.evidence.event-on', '{{type}} {{reason}} on {{object}}', {
            type: g.type,
            reason: g.reason,
            object: g.object,
            ...UNESCAPED,
          })}{' '}
          ×{g.count}
          {g.firstSeen === g.lastSeen
            ? t('rca.evidence.at', ' at {{time}}', { time: utcClock(g.firstSeen) })
            : `, ${wallClock(g.firstSeen)}–${utcClock(g.lastSeen)}`}
          <span className={s.muted}>: {g.message}</span>
        </li>
      ))}
      {logs.map((l, i) => (
        <li key={`l${i}`}>
          <span className={s.kind}>{t('rca.evidence.log', 'log')}</span>
          <code>{l.template}</code> {l.countBaseline} → {l.countIncident}
          {l.isNew ? t('rca.evidence.new', ' (new)') : ` (×${fmt(l.countIncident / Math.max(1, l.countBaseline))})`}
        </li>
      ))}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css`
    list-style: none;
    margin: 0;
    padding: 0;
    font-size: ${theme.typography.bodySmall.fontSize};
    li {
      margin-bottom: ${theme.spacing(0.5)};
    }
  `,
  kind: css`
    display: inline-block;
    min-width: ${theme.spacing(8)};
    margin-right: ${theme.spacing(1)};
    color: ${theme.colors.text.secondary};
    text-transform: uppercase;
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
  `,
});
