import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ForecastPage } from '../pages/ForecastPage';
import { CloudOpsDataSource } from '../datasource/datasource';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, proxyTo, recording, replyJson } from '../test/FakeBackendSrv';
import { useEngineProcess } from '../test/startEngineProcess';
import type { ForecastResponse, ScalePlanResponse, SignalCatalog } from '../api/types';
import { DS_URL, datasourceSettings, queryRequest } from '../test/fixtures';
import { installRecordingCanvas } from '../test/recordingCanvas';

/** Forecasts against a real engine (demo profile), through the emulated proxy routes. */

describe('forecasts against a real engine', () => {
  // jsdom has no canvas: the forecast chart (uPlot) draws on the recording stand-in.
  let canvas: ReturnType<typeof installRecordingCanvas>;
  beforeAll(() => {
    canvas = installRecordingCanvas();
  });
  afterAll(() => canvas.restore());
  const engine = useEngineProcess();

  test('the datasource turns a real forecast into a band that contains its value', async () => {
    const rec = recording(proxyTo(`${DS_URL}/engine`, engine.url));
    new FakeBackendSrv(rec.handler).install();
    const ds = new CloudOpsDataSource(datasourceSettings());
    const now = Date.now();
    const response = await ds.query(
      queryRequest(
        [{ refId: 'F', kind: 'forecast', service: 'frontend', signal: 'request_rate', horizonMinutes: 60 }],
        now,
        now
      )
    );

    expect(response.errors).toBeUndefined();
    const engineReply = replyJson<ForecastResponse>(rec.replies.find((r) => r.url.endsWith('/api/v1/forecast'))!.reply);
    const [time, value, lower, upper] = response.data[0].fields;
    expect(value.values).toEqual(engineReply.points.map((p) => p.value));
    expect(time.values.length).toBeGreaterThan(0);
    time.values.forEach((t: number, i: number) => {
      expect(t).toBeGreaterThan(Date.now() - 3_600_000);
      expect(lower.values[i]).toBeLessThanOrEqual(value.values[i]);
      expect(upper.values[i]).toBeGreaterThanOrEqual(value.values[i]);
    });
  });

  test('the forecast page offers the engine signals and shows the model the engine chose', async () => {
    const rec = recording(proxyTo(ENGINE_PROXY_URL, engine.url));
    new FakeBackendSrv(rec.handler).install();

    render(<ForecastPage />);
    await userEvent.click(screen.getByRole('combobox', { name: 'Signal' }));
    await screen.findByRole('option', { name: 'latency_p99' }, { timeout: 15_000 });
    const catalog = replyJson<SignalCatalog>(rec.replies.find((r) => r.url.endsWith('/api/v1/signals'))!.reply);
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(catalog.items.map((s) => s.name));
    await userEvent.click(screen.getByRole('option', { name: 'latency_p99' }));
    await userEvent.click(screen.getByTestId(testIds.forecast.run));

    const result = await screen.findByTestId(testIds.forecast.result, undefined, { timeout: 20_000 });
    const engineReply = replyJson<ForecastResponse>(rec.replies.find((r) => r.url.endsWith('/api/v1/forecast'))!.reply);
    expect(engineReply.seriesKey).toBe('shop/frontend/latency_p99');
    expect(result).toHaveTextContent(`Model ${engineReply.model}`);
    // The demo's frontend Deployment gets a replica plan from the same engine, drawn in the same chart.
    const plan = await screen.findByTestId(testIds.forecast.plan, undefined, { timeout: 20_000 });
    const scale = replyJson<ScalePlanResponse>(rec.replies.find((r) => r.url.endsWith('/api/v1/scale-plan'))!.reply);
    expect(plan).toHaveTextContent(`${scale.plan.recommendedReplicas} replicas`);
    const chart = screen.getByTestId(testIds.forecast.chart);
    for (const name of ['observed', 'forecast', 'planned capacity', 'replicas']) {
      expect(within(chart).getByText(name)).toBeInTheDocument();
    }
  });
});
