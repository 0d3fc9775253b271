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
    if (correctTemplate(predictedTemplates[lines[0]!]!) === correctTemplate(truthTemplates[lines[0]!]!))
      correctTemplates++;
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

export interface LosoFold {
  heldOut: number;
  chosen: number;
  trainMean: number;
  score: number;
}

/**
 * Leave-one-out selection over a score matrix `scores[setting][system]`: for each held-out system, the first setting
 * (list simpler settings first) whose mean over the other systems is within `tolerance` of the best mean, scored on
 * the held-out one. The tolerance keeps the rule from chasing differences of a few lines (with plain argmax, holding
 * out BGL picked a threshold that no other fold wanted and scored 0.616 on it). Nothing looks at the held-out column
 * before scoring it. With `guard`, only settings that lose at most `maxLoss` GA on every training system against the
 * baseline setting are eligible (the baseline itself always is).
 */
export function leaveOneOut(
  scores: number[][],
  tolerance = 0,
  guard?: { baseline: number; maxLoss: number },
): LosoFold[] {
  const systems = scores[0]?.length ?? 0;
  const folds: LosoFold[] = [];
  for (let held = 0; held < systems; held++) {
    const base = guard ? scores[guard.baseline]! : undefined;
    const means = scores.map((row) => {
      let sum = 0;
      for (let j = 0; j < systems; j++) {
        if (j === held) continue;
        // A setting that costs any training system more than maxLoss against the baseline setting is not eligible.
        if (base && row[j]! < base[j]! - guard!.maxLoss) return -Infinity;
        sum += row[j]!;
      }
      return sum / (systems - 1);
    });
    const best = Math.max(...means);
    const chosen = means.findIndex((m) => m >= best - tolerance - 1e-12);
    folds.push({ heldOut: held, chosen, trainMean: means[chosen]!, score: scores[chosen]![held]! });
  }
  return folds;
}

/** GA alone (see scoreParsing), without the template correction: what the settings grid needs, fast. */
export function groupingAccuracy(truthEvents: string[], predictedGroups: Array<string | number>): number {
  const truthMembers = groupIndices(truthEvents);
  let correct = 0;
  for (const lines of groupIndices(predictedGroups).values()) {
    const label = truthEvents[lines[0]!]!;
    if (truthMembers.get(label)!.length === lines.length && lines.every((i) => truthEvents[i] === label))
      correct += lines.length;
  }
  return correct / truthEvents.length;
}
