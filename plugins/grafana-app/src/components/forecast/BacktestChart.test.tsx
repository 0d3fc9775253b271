import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BacktestResultDto } from '../../api/types';
import { testIds } from '../testIds';
import { BacktestChart } from './BacktestChart';

const metrics = (mase: number) =>
  [1, 2].map((horizon) => ({ horizon, n: 10, mae: 1, rmse: 1, mase, smape: 1, coverage: 0.9 }));

const REASON =
  'ensemble: chosen per horizon on the last 864 steps held out from fitting (h1 holt_winters 0.41 + naive 0.28; h2 holt_winters 0.38 + naive 0.25); mean validation MASE ensemble 0.362';

const result: BacktestResultDto = {
  seriesKey: 'shop/frontend/request_rate',
  chosen: 'ensemble',
  reason: REASON,
  testStart: 1_764_000_000,
  end: 1_764_000_288,
  scale: 1,
  predictMsPerOrigin: 0.1,
  models: { ensemble: metrics(0.16), naive: metrics(1.02) },
  baselines: ['naive'],
};

describe('BacktestChart', () => {
  test('shows the scores and the caption, with how the model was chosen collapsed until clicked', async () => {
    render(<BacktestChart result={result} />);
    const figure = screen.getByTestId(testIds.forecast.backtestResult);
    expect(figure).toHaveTextContent('ensemble (chosen)');
    expect(figure).toHaveTextContent('Mean MASE over horizons 1–2 on the last 288 test points');
    expect(within(figure).queryByText(REASON)).not.toBeInTheDocument();

    await userEvent.click(within(figure).getByText('How the model was chosen'));
    expect(within(figure).getByText(REASON)).toBeInTheDocument();
  });

  test('the baselines the engine names are marked as such, the models are not', () => {
    const models = { ...result.models, holt_winters: metrics(0.9), lstm: metrics(0.5) };
    render(<BacktestChart result={{ ...result, models, baselines: ['naive', 'holt_winters'] }} />);
    const tags = within(screen.getByTestId(testIds.forecast.backtestResult)).getAllByText('baseline');
    // Best first: ensemble 0.16 and lstm 0.5 (no tag), holt_winters 0.9, naive 1.02.
    expect(tags.map((tag) => tag.parentElement?.firstChild?.textContent)).toEqual(['holt_winters', 'naive']);
  });

  test('an empty reason leaves no section to open', () => {
    render(<BacktestChart result={{ ...result, reason: '' }} />);
    expect(screen.queryByText('How the model was chosen')).not.toBeInTheDocument();
  });
});
