import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, EmptyState, useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';

/** Before the first analysis: what the page does, what it needs, and a one-click sample on the demo shop. */
export function RcaEmptyState({ onTryDemo, demoNamespace }: { onTryDemo: () => void; demoNamespace: string }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.wrap} data-testid={testIds.rootCause.emptyState}>
      <EmptyState
        variant="call-to-action"
        message="Find what started an incident"
        button={
          <Button icon="play" variant="secondary" onClick={onTryDemo} data-testid={testIds.rootCause.demo}>
            Try the demo ({demoNamespace}, last 30 min)
          </Button>
        }
      >
        <p>
          The engine compares the last minutes with the hour before them: which service&apos;s metrics moved first,
          which Kubernetes events, log patterns and rollouts came with it, and ranks the likely root causes with a chart
          of each.
        </p>
        <p>
          It needs a <strong>namespace</strong>. Name a <strong>service</strong> to explain its symptom, or leave it
          empty to scan the whole namespace; alerts open here with their service filled in.
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
