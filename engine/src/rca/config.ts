import { z } from 'zod';

/** Settings of the rca capability; every field has a documented default so an empty section is valid. */
export const rcaConfigSchema = z.object({}).default({});

export type RcaConfig = z.infer<typeof rcaConfigSchema>;
