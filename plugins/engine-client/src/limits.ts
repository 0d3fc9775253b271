/**
 * Input limits the engine enforces, for forms that check before sending: the engine's zod schema and the plugins'
 * fields read the same number, so a form never accepts what the engine refuses.
 */
export const QUESTION_MAX_CHARS = 4000;

/**
 * The longest `horizonMinutes` a forecast or scale plan may ask for, a week; the series' model's own horizon
 * (`forecast.horizonSteps`, an hour by default) is checked by the engine per request and is usually shorter.
 */
export const MAX_HORIZON_MINUTES = 7 * 24 * 60;
