import { z } from 'zod';

/**
 * Every kind of job the engine runs, in one place: the services start jobs under these names, `GET /jobs?kind=`
 * accepts only these (an unknown kind is a 400 naming `querystring.kind`, not an empty page) and `jobs.perKind` in
 * the config is checked against them. A new kind of job is added here.
 */
export const JOB_KIND = {
  rca: 'rca',
  forecastTrain: 'forecast.train',
  forecastBacktest: 'forecast.backtest',
  assistantIngest: 'assistant.ingest',
} as const;

export type JobKind = (typeof JOB_KIND)[keyof typeof JOB_KIND];

export const jobKindSchema = z
  .enum(JOB_KIND)
  .describe('a kind of job: rca, forecast.train, forecast.backtest, assistant.ingest');
