import { z } from 'zod';
import { describeIssues, fieldIssuesFromZod } from '../../errors.js';
import { actionSpecSchema, type ActionSpec } from '../rules/ruleSchema.js';

/**
 * A model's reply checked at the boundary like any other input: one JSON object, validated with the rule file's own
 * action schema (the catalog and its bounds: a memory raise of at most 2x, no parameters a rule could not set).
 * Anything else is a rejection with the field named, never a best guess.
 */

export const proposalReplySchema = z.object({
  action: actionSpecSchema,
  why: z.string().max(500).default(''),
});
export type ProposalReply = { action: ActionSpec; why: string };

export const choiceReplySchema = z.object({
  choice: z.number().int().min(1),
  why: z.string().max(500).default(''),
});
export type ChoiceReply = z.infer<typeof choiceReplySchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * The JSON object in a reply. Chat models often wrap it in a ```json fence or a sentence; the outermost braces are
 * taken and everything outside them ignored, but the object itself must parse as-is.
 */
function jsonObjectOf(text: string): Parsed<unknown> {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return { ok: false, reason: 'the reply holds no JSON object' };
  try {
    return { ok: true, value: JSON.parse(text.slice(start, end + 1)) };
  } catch (error) {
    return { ok: false, reason: `the reply is not valid JSON: ${(error as Error).message}` };
  }
}

export function parseModelReply<T>(text: string, schema: z.ZodType<T>): Parsed<T> {
  const json = jsonObjectOf(text);
  if (!json.ok) return json;
  const result = schema.safeParse(json.value);
  if (!result.success) return { ok: false, reason: describeIssues(fieldIssuesFromZod(result.error.issues)) };
  return { ok: true, value: result.data };
}
