import React from 'react';
import { render, screen } from '@testing-library/react';
import { NarrativeSummary } from './NarrativeSummary';
import { testIds } from '../testIds';

const REASON = 'the ranking rests on a change at most 30 s old, younger than the 60 s a change must hold: unconfirmed';

describe('NarrativeSummary', () => {
  test("shows why the engine trusts its baseline little, in the engine's words", () => {
    render(
      <NarrativeSummary
        narrative="cart's cpu rose 30 s ago."
        source="template"
        baseline={{ kind: 'own-history', trust: 'low', points: 240, trustReason: REASON }}
      />
    );
    expect(screen.getByTestId(testIds.rootCause.baseline)).toHaveTextContent(
      `Compared with each signal’s own history before the onset (240 points, trust low). ${REASON}`
    );
  });

  test('says nothing more when the engine gives no reason', () => {
    render(
      <NarrativeSummary
        narrative="payment was redeployed."
        source="template"
        baseline={{ kind: 'own-history', trust: 'high', points: 240 }}
      />
    );
    expect(screen.queryByTestId(testIds.rootCause.trustReason)).not.toBeInTheDocument();
  });
});
