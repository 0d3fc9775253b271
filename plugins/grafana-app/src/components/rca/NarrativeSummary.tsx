import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Collapse, useStyles2 } from '@grafana/ui';
import { t } from '@grafana/i18n';
import { testIds } from '../testIds';
import { leadOf } from './candidateReason';

/** What the engine compared the incident with (rcaResultSchema's `baseline`). */
export interface BaselineSummary {
  kind: string;
  trust: string;
  points: number;
  days?: number;
  /** Why the trust is what it is, in the engine's words (e.g. a ranking that rests on changes seconds old). */
  trustReason?: string;
}

/** The narrative's lead (at most three sentences) with the full text one click away, and the baseline it rests on. */
export function NarrativeSummary({
  narrative,
  source,
  baseline,
}: {
  narrative: string;
  source: 'template' | 'model';
  baseline?: BaselineSummary;
}) {
  const s = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  const { lead, truncated } = leadOf(narrative);
  return (
    <div className={s.section} data-testid={testIds.rootCause.narrative}>
      <h3>{t('rca.narrative.title', 'Summary')}</h3>
      <p>{lead}</p>
      {baseline && (
        <p className={s.muted} data-testid={testIds.rootCause.baseline}>
          {t('rca.baseline.line', 'Compared with {{what}} ({{points}} points, trust {{trust}}).', {
            what: baselineLabel(baseline),
            points: baseline.points,
            trust: trustLabel(baseline.trust),
          })}
          {baseline.trustReason && <span data-testid={testIds.rootCause.trustReason}> {baseline.trustReason}</span>}
        </p>
      )}
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

/** The baseline kinds in the user's language; a kind a newer engine adds shows as sent. */
function baselineLabel(baseline: BaselineSummary): string {
  switch (baseline.kind) {
    case 'same-hours':
      return t('rca.baseline.same-hours', 'the same hours on {{days}} earlier days and the hour before', {
        days: baseline.days ?? '?',
      });
    case 'own-history':
      return t('rca.baseline.own-history', 'each signal’s own history before the onset');
    case 'across-services':
      return t('rca.baseline.across-services', 'the other services’ changes (no normal period before the onset)');
    default:
      return baseline.kind;
  }
}

function trustLabel(trust: string): string {
  const known: Record<string, string> = {
    high: t('rca.baseline.trust.high', 'high'),
    medium: t('rca.baseline.trust.medium', 'medium'),
    low: t('rca.baseline.trust.low', 'low'),
  };
  return known[trust] ?? trust;
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
