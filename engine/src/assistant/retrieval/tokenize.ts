/**
 * One tokenizer for indexing and querying, so both sides agree. Lower-cased words, identifiers split at camelCase
 * and punctuation (`nodeSelector` also yields `node` and `selector`, `kube-proxy` yields `kube`, `proxy` and
 * `kubeproxy`), English stop words removed, and a light suffix stemmer so "scheduling"/"scheduled"/"schedules" meet.
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her here ' +
    'hers him his how i if in into is it its itself just let me more most my no nor not of off on once only or other ' +
    'our ours out over own same she should so some such than that the their theirs them then there these they this ' +
    'those through to too under until up very was we were what when where which while who whom why will with would ' +
    'you your yours also may might must shall use used using via per each any all both few many much within without ' +
    'about above after again against below between during before further e g eg ie etc'
  ).split(/\s+/),
);

/** Porter-style step 1 plus common derivational endings: cheap, deterministic, good enough for technical English. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);

  const strip = (suffix: string, replacement = '', minStem = 3): boolean => {
    if (w.endsWith(suffix) && w.length - suffix.length >= minStem) {
      w = w.slice(0, -suffix.length) + replacement;
      return true;
    }
    return false;
  };
  // Longest endings first; each word loses at most one derivational suffix.
  const rules: Array<[string, string, number]> = [
    ['ational', 'ate', 3],
    ['ization', 'ize', 3],
    ['ation', 'ate', 3],
    ['fulness', 'ful', 3],
    ['iveness', 'ive', 3],
    ['ements', '', 3],
    ['ement', '', 3],
    ['ments', '', 3],
    ['ment', '', 4],
    ['ingly', '', 3],
    ['edly', '', 3],
    ['ing', '', 3],
    ['ed', '', 3],
    ['ly', '', 4],
    ['er', '', 4],
  ];
  rules.some(([suffix, replacement, minStem]) => strip(suffix, replacement, minStem));
  // "scheduling" -> "schedul", "scheduled" -> "schedul", "schedule" -> "schedul": drop a final e.
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  // Doubled consonant left by -ing/-ed ("running" -> "runn").
  if (w.length > 4 && w[w.length - 1] === w[w.length - 2] && !/[aeiouls]/.test(w[w.length - 1]!))
    w = w.slice(0, -1);
  return w;
}

const tokenCache = new Map<string, string>();

function normalise(raw: string): string {
  let cached = tokenCache.get(raw);
  if (cached === undefined) {
    cached = stem(raw);
    if (tokenCache.size < 500_000) tokenCache.set(raw, cached);
  }
  return cached;
}

/** Terms of a text in order (with repeats), for BM25 and TF-IDF. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  // Identifier-ish runs: letters/digits joined by - _ . / (e.g. kube-proxy, node.kubernetes.io/unschedulable).
  const runs = text.match(/[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*/g);
  if (!runs) return out;
  for (const run of runs) {
    const parts = run.split(/[-_.]/);
    const pieces: string[] = [];
    for (const part of parts) {
      // camelCase and PascalCase boundaries: CrashLoopBackOff -> crash loop back off; a plural acronym (PIDs, SSDs)
      // stays one word.
      const sub = part.match(/[A-Z]{2,}s(?![a-z])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? [part];
      for (const s of sub) pieces.push(s.toLowerCase());
      if (sub.length > 1) pieces.push(part.toLowerCase());
    }
    if (parts.length > 1) pieces.push(parts.join('').toLowerCase());
    for (const piece of pieces) {
      if (piece.length < 2 && !/\d/.test(piece)) continue;
      if (STOP_WORDS.has(piece)) continue;
      if (piece.length > 40) continue;
      out.push(normalise(piece));
    }
  }
  return out;
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.toLowerCase());
}
