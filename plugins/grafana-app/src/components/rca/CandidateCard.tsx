import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2 } from '@grafana/ui';
import { t } from '@grafana/i18n';
import type { RcaCandidate, RcaResult } from '../../api/types';
import { testIds } from '../testIds';
import { AnomalyChart } from './AnomalyChart';
import { candidateReason } from './candidateReason';
import { formatScore } from './formatScore';
import { EvidenceLines, type ExploreTarget } from './EvidenceLines';

/**
 * One candidate: service, fault type and score, the reason in one sentence, the chart of its strongest signal that
 * has a query, and the evidence one line per kind.
 */
export function CandidateCard({
  candidate,
  window,
  onset,
  explore,
}: {
  candidate: RcaCandidate;
  window?: RcaResult['window'];
  onset?: number;
  explore: ExploreTarget;
}) {
  const s = useStyles2(getStyles);
  const charted = candidate.evidence.metrics.find((m) => m.promql);
  return (
    <li className={s.card} data-testid={testIds.rootCause.candidate}>
      <div className={s.header}>
        <strong>{candidate.service}</strong>
        {candidate.faultType && <Badge color="orange" text={candidate.faultType} />}
        <span className={s.muted}>
          {t('rca.candidate.score', 'score {{score}}', { score: formatScore(candidate.score) })}
        </span>
      </div>
      <p className={s.reason} data-testid={testIds.rootCause.reason}>
        {candidateReason(candidate)}
      </p>
      {charted?.promql && window && (
        <AnomalyChart
          promql={charted.promql}
          signal={charted.signal}
          unit={charted.unit}
          window={window}
          onset={charted.changePoint ?? onset}
        />
      )}
      <EvidenceLines evidence={candidate.evidence} explore={explore} />
    </li>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css`
    margin-bottom: ${theme.spacing(2)};
    padding: ${theme.spacing(2)};
    border: 1px solid ${theme.colors.border.weak};
    border-radius: ${theme.shape.radius.default};
    background: ${theme.colors.background.primary};
  `,
  header: css`
    display: flex;
    align-items: center;
    gap: ${theme.spacing(1)};
  `,
  reason: css`
    margin: ${theme.spacing(1, 0)};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
