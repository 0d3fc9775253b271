import React, { useState } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryEditor } from './QueryEditor';
import { CloudOpsDataSource } from '../datasource';
import type { CloudOpsQuery } from '../types';
import { testIds } from '../../components/testIds';
import { FakeBackendSrv, routes } from '../../test/FakeBackendSrv';
import { DS_URL, datasourceSettings } from '../../test/fixtures';

function datasource(): CloudOpsDataSource {
  return new CloudOpsDataSource(datasourceSettings());
}

/** Holds the query like a panel editor does, so typed text accumulates and every change is recorded. */
function Harness({
  ds,
  initial,
  changes,
  runs,
}: {
  ds: CloudOpsDataSource;
  initial: CloudOpsQuery;
  changes: CloudOpsQuery[];
  runs: jest.Mock;
}) {
  const [query, setQuery] = useState(initial);
  return (
    <QueryEditor
      datasource={ds}
      query={query}
      onChange={(q) => {
        changes.push(q);
        setQuery(q);
      }}
      onRunQuery={runs}
    />
  );
}

const initial: CloudOpsQuery = {
  refId: 'A',
  kind: 'forecast',
  service: '',
  signal: 'request_rate',
  horizonMinutes: 60,
};

describe('QueryEditor', () => {
  beforeEach(() => {
    new FakeBackendSrv(
      routes({
        [`GET ${DS_URL}/engine/api/v1/signals`]: () => ({
          status: 200,
          body: {
            serviceLabel: 'service',
            window: '5m',
            items: [
              { name: 'request_rate', query: 'q1', unit: 'req/s', badDirection: 'both' },
              { name: 'latency_p99', query: 'q2', unit: 's', badDirection: 'up' },
            ],
          },
        }),
      })
    ).install();
  });

  test('service text propagates on every keystroke and runs the query when the field is left', async () => {
    const changes: CloudOpsQuery[] = [];
    const runs = jest.fn();
    render(<Harness ds={datasource()} initial={initial} changes={changes} runs={runs} />);

    await userEvent.type(screen.getByTestId(testIds.queryEditor.service), 'checkout');
    expect(changes.at(-1)).toEqual({ ...initial, service: 'checkout' });
    expect(runs).not.toHaveBeenCalled();

    await userEvent.tab();
    expect(runs).toHaveBeenCalledTimes(1);
  });

  test('choosing a kind propagates and runs; the horizon only shows for forecasts', async () => {
    const changes: CloudOpsQuery[] = [];
    const runs = jest.fn();
    render(<Harness ds={datasource()} initial={{ ...initial, service: 'cart' }} changes={changes} runs={runs} />);
    expect(screen.getByTestId(testIds.queryEditor.horizon)).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('Anomaly score'));

    expect(changes.at(-1)).toEqual({ ...initial, service: 'cart', kind: 'anomaly-score' });
    expect(runs).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId(testIds.queryEditor.horizon)).not.toBeInTheDocument();
  });

  test('offers the signals the engine reports and propagates the choice', async () => {
    const changes: CloudOpsQuery[] = [];
    const runs = jest.fn();
    render(<Harness ds={datasource()} initial={{ ...initial, service: 'cart' }} changes={changes} runs={runs} />);

    await userEvent.click(screen.getByRole('combobox', { name: 'Signal' }));
    const latency = await screen.findByRole('option', { name: /^latency_p99/ });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['request_ratereq/s', 'latency_p99s']);
    await userEvent.click(latency);

    await waitFor(() => expect(changes.at(-1)).toEqual({ ...initial, service: 'cart', signal: 'latency_p99' }));
    expect(runs).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('combobox', { name: 'Signal' })).toHaveValue('latency_p99');
  });

  test('takes a signal the engine does not list, typed by the user', async () => {
    const changes: CloudOpsQuery[] = [];
    const runs = jest.fn();
    render(<Harness ds={datasource()} initial={{ ...initial, service: 'cart' }} changes={changes} runs={runs} />);

    await userEvent.type(screen.getByRole('combobox', { name: 'Signal' }), '$signal');
    await userEvent.click(await screen.findByRole('option', { name: /^\$signal/ }));

    expect(changes.at(-1)).toEqual({ ...initial, service: 'cart', signal: '$signal' });
    expect(runs).toHaveBeenCalledTimes(1);
  });

  test('keeps a saved signal when the engine cannot list its signals', async () => {
    new FakeBackendSrv(
      routes({
        [`GET ${DS_URL}/engine/api/v1/signals`]: () => ({
          status: 503,
          body: { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'metrics source down' } },
        }),
      })
    ).install();
    const changes: CloudOpsQuery[] = [];
    render(
      <Harness ds={datasource()} initial={{ ...initial, signal: 'error_rate' }} changes={changes} runs={jest.fn()} />
    );

    expect(await screen.findByText(/metrics source down/)).toBeInTheDocument();
    const signal = screen.getByRole('combobox', { name: 'Signal' });
    expect(signal).toHaveValue('error_rate');
    await userEvent.click(signal);
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['error_rate']);
    expect(changes).toEqual([]);
  });

  test('horizon minutes propagate as a number', async () => {
    const changes: CloudOpsQuery[] = [];
    const runs = jest.fn();
    render(
      <Harness
        ds={datasource()}
        initial={{ ...initial, service: 'cart', horizonMinutes: undefined }}
        changes={changes}
        runs={runs}
      />
    );

    await userEvent.type(screen.getByTestId(testIds.queryEditor.horizon), '90');
    expect(changes.at(-1)!.horizonMinutes).toBe(90);
  });
});
