import { contextInHeadings } from './contextInHeadings.js';
import { generatedPage } from './generatedPage.js';
import { pageCoverage } from './pageCoverage.js';
import { phraseInHeadings } from './phraseInHeadings.js';
import { phraseInPassage } from './phraseInPassage.js';
import { questionFormKind } from './questionFormKind.js';
import type { RerankFeature } from './RerankFeature.js';
import { runbookForContext } from './runbookForContext.js';
import { titleInQuestion } from './titleInQuestion.js';
import { titleShare } from './titleShare.js';

/** Every second-stage feature, in one place; their weights are RetrievalTuning.rerank (0 leaves one out). */
export const RERANK_FEATURES = [
  phraseInHeadings,
  phraseInPassage,
  titleShare,
  titleInQuestion,
  pageCoverage,
  contextInHeadings,
  runbookForContext,
  generatedPage,
  questionFormKind,
] as const satisfies readonly RerankFeature[];

export type RerankFeatureName = (typeof RERANK_FEATURES)[number]['name'];
export type RerankWeights = Record<RerankFeatureName, number>;
