import { z } from 'zod';

/** Settings of the forecast capability; every field has a documented default so an empty section is valid. */
export const forecastConfigSchema = z.object({}).default({});

export type ForecastConfig = z.infer<typeof forecastConfigSchema>;
