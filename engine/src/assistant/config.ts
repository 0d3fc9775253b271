import { z } from 'zod';

/** Settings of the assistant capability; every field has a documented default so an empty section is valid. */
export const assistantConfigSchema = z.object({}).default({});

export type AssistantConfig = z.infer<typeof assistantConfigSchema>;
