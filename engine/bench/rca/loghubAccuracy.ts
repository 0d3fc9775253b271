/**
 * Log-parsing accuracy as Loghub-2.0 (ISSTA'24) defines it: GA and FGA compare line groups, PA and FTA also compare
 * template strings after the "oracle template correction" of Khan et al. (ICSE'22). The correction rules are
 * re-implemented here from their description (the original code is GPL); see loghub_2k/SOURCE.md.
 */

export interface ParsingScores {
  ga: number;
  fga: number;
  pa: number;
  fta: number;
  groundTruthGroups: number;
  predictedGroups: number;
}

const PATH_SPLIT = /(\s|,|!|;|:|=|\||"|'|\[|\]|\(|\)|\{|\})/;
const TOKEN_SPLIT = /(\s|,|!|;|:|=|\||"|'|\[|\]|\(|\)|\{|\}|\.|-|\+|@|#|\$|%|&)/;
const DEFAULT_STRINGS = new Set(['true', 'false', 'null', 'root', 'admin']);

export function correctTemplate(template: string): string {
  let t = template.trim().replace(/\s+/g, ' ');
  t = t
    .split(PATH_SPLIT)
    .map((p) => (/^(\/[^/]+)+$/.test(p) ? '<*>' : p))
    .join('');
  t = t
    .split(TOKEN_SPLIT)
    .map((tok) => {
      if (DEFAULT_STRINGS.has(tok.toLowerCase())) return '<*>';
      if (/^\d+$/.test(tok)) return '<*>';
      if (tok !== '<*>' && /^[^\s/]*<\*>[^\s/]*$/.test(tok)) return '<*>';
      return tok;
    })
    .join('');
  let previous: string;
  do {
    previous = t;
    t = t.replace(/<\*>\.<\*>/g, '<*>');
  } while (t !== previous);
  do {
    previous = t;
    t = t.replace(/<\*><\*>/g, '<*>');
  } while (t !== previous);
  return t;
}

/** Scores predicted group ids and templates (one per line) against the ground truth (one event id and template per line). */
export function scoreParsing(
  truthEvents: string[],
  truthTemplates: string[],
  predictedGroups: Array<string | number>,
  predictedTemplates: string[],
): ParsingScores {
  const n = truthEvents.length;
  const truthMembers = groupIndices(truthEvents);
  const predictedMembers = groupIndices(predictedGroups);

  let groupedCorrectLines = 0;
  let correctGroups = 0;
  let correctTemplates = 0;
  for (const lines of predictedMembers.values()) {
    const label = truthEvents[lines[0]!]!;
    const truthLines = truthMembers.get(label)!;
    const identical = truthLines.length === lines.length && lines.every((i) => truthEvents[i] === label);
    if (!identical) continue;
    groupedCorrectLines += lines.length;
    correctGroups++;
    if (correctTemplate(predictedTemplates[lines[0]!]!) === correctTemplate(truthTemplates[lines[0]!]!)) correctTemplates++;
  }

  let parsedCorrect = 0;
  const cache = new Map<string, string>();
  const corrected = (t: string) => {
    let c = cache.get(t);
    if (c === undefined) {
      c = correctTemplate(t);
      cache.set(t, c);
    }
    return c;
  };
  for (let i = 0; i < n; i++) {
    if (corrected(predictedTemplates[i]!) === corrected(truthTemplates[i]!)) parsedCorrect++;
  }

  const f1 = (correct: number) => {
    const p = correct / predictedMembers.size;
    const r = correct / truthMembers.size;
    return p + r === 0 ? 0 : (2 * p * r) / (p + r);
  };
  return {
    ga: groupedCorrectLines / n,
    fga: f1(correctGroups),
    pa: parsedCorrect / n,
    fta: f1(correctTemplates),
    groundTruthGroups: truthMembers.size,
    predictedGroups: predictedMembers.size,
  };
}

function groupIndices<T>(labels: T[]): Map<T, number[]> {
  const map = new Map<T, number[]>();
  labels.forEach((label, i) => {
    const list = map.get(label);
    if (list) list.push(i);
    else map.set(label, [i]);
  });
  return map;
}
