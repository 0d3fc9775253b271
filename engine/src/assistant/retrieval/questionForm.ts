/**
 * The form of a question, read from the words a tokenizer drops as stop words ("how do I", "what is", "why"). The
 * docs' own sections say which pages answer which form: tasks "show how to do individual tasks" (tasks/_index.md),
 * concepts help "obtain a deeper understanding of how Kubernetes works" (concepts/_index.md). Hand-written patterns,
 * not learned from any question set.
 */
export type QuestionForm = 'how-to' | 'what-is';

const HOW_TO = /\bhow (do|can|should|would) (i|we|you)\b|\bhow to\b|\bsteps? to\b/i;
const WHAT_IS = /\bwhat (is|are)\b|\bwhat's\b|\bwhy\b|\bdifference\b|\bvs\.?(?=\s|$)|\bversus\b/i;

/** 'how-to' or 'what-is' when the question says so (how-to wins when both do), undefined otherwise. */
export function questionForm(question: string): QuestionForm | undefined {
  if (HOW_TO.test(question)) return 'how-to';
  if (WHAT_IS.test(question)) return 'what-is';
  return undefined;
}
