import { formatNumber } from '@ai-cloudops/engine-client';

/**
 * A candidate's score as the engine's narrative prints it, so the summary, the card and the graph node show one number
 * (they showed 86.5, 86.45 and 86.5). Three significant digits also fit inside a graph node (121.38 did not).
 */
export const formatScore = (score: number): string => formatNumber(score);
