import React from 'react';
import { render, screen, within } from '@testing-library/react';
import type { RcaCandidate } from '../../api/types';
import { serviceGraphFrames } from '../../datasource/serviceGraphFrames';
import { testIds } from '../testIds';
import { CandidateCard } from './CandidateCard';
import { ServiceGraph } from './ServiceGraph';

const candidate = (service: string, score: number): RcaCandidate => ({
  service,
  signal: 'latency_p99',
  faultType: 'latency',
  score,
  evidence: { metrics: [], logs: [], events: [], changes: [] },
});

// The engine's narrative printed 'score 86.5' above a card with 'score 86.45' and a node with '86.5'.
describe('a candidate score on the Root cause page', () => {
  it('reads the same on the card as in the narrative (three significant digits)', () => {
    render(<CandidateCard candidate={candidate('payment', 86.45)} explore={{ range: { from: 0, to: 1 } }} />);
    expect(within(screen.getByTestId(testIds.rootCause.candidate)).getByText('score 86.5')).toBeInTheDocument();
  });

  it('reads the same in the service graph, whole scores without trailing zeros', () => {
    const frames = serviceGraphFrames({
      serviceGraph: { services: ['payment', 'cart'], edges: [{ from: 'payment', to: 'cart', origin: 'learned' }] },
      candidates: [candidate('payment', 86.45), candidate('cart', 7)],
    });
    render(<ServiceGraph frames={frames} />);
    expect(screen.getByText('7')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /top candidate payment \(score 86\.5\)/ })).toBeInTheDocument();
  });
});
