/**
 * Input limits the engine enforces, for forms that check before sending: the engine's zod schema and the plugins'
 * fields read the same number, so a form never accepts what the engine refuses.
 */
export const QUESTION_MAX_CHARS = 4000;
