import { createTheme } from '@grafana/data';
import type { GraphFieldConfig } from '@grafana/schema';
import { forecastPlanFrames, SERIES } from './forecastPlanFrames';
import type { ForecastResponse, ScalePlanResponse } from '../../api/types';
import appJson from '../../plugin.json';
import appZh from '../../locales/zh-Hans/aicloudops-cloudops-app.json';
import { resetTranslations, switchLanguage } from '../../locales/testTranslations';

const T0 = 1_764_064_800;
const forecast = {
  seriesKey: 'shop/frontend/request_rate',
  model: 'ensemble',
  reason: 'fitted now',
  source: 'cold-start',
  stepSeconds: 600,
  coverage: 0.9,
  points: [0, 1].map((i) => ({ t: T0 + i * 600, value: 40, lower: 38, upper: 42 })),
  history: [{ t: T0 - 600, value: 41 }],
} satisfies ForecastResponse;
const plan = {
  capacityPerReplica: 16.1,
  currentReplicas: 3,
  recommendedReplicas: 3,
  reason: '3 replicas cover the peak',
  steps: forecast.points.map((p) => ({ t: p.t, demand: p.value, needed: 3, replicas: 3 })),
} satisfies ScalePlanResponse['plan'];

/** The replica count's right axis, named in the user's language like its legend entry. */
function replicasAxis() {
  const frames = forecastPlanFrames(forecast, plan, 'reqps', createTheme());
  const field = frames.flatMap((f) => f.fields).find((f) => f.name === SERIES.replicas)!;
  return { axis: (field.config.custom as GraphFieldConfig).axisLabel, legend: field.config.displayName };
}

describe('forecastPlanFrames', () => {
  afterEach(() => resetTranslations());

  test('in zh-Hans the replicas axis reads 副本数, as its legend (it read "replicas")', async () => {
    await switchLanguage(appJson.id, 'zh-Hans', appZh);
    expect(replicasAxis()).toEqual({ axis: '副本数', legend: '副本数' });
  });

  test('in en-US it reads replicas, as before', async () => {
    await switchLanguage(appJson.id, 'en-US', {});
    expect(replicasAxis()).toEqual({ axis: 'replicas', legend: 'replicas' });
  });
});
