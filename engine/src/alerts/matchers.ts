import { z } from 'zod';
import { EngineError } from '../errors.js';
import { compileLabelRegex, type LabelRegex } from '../util/labelRegex.js';

/** One Alertmanager label matcher: `name="v"`, `name!="v"`, `name=~"re"`, `name!~"re"`. */
export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  /** Anchored as Alertmanager anchors it: ^(?:re)$, and matched as it matches: RE2, in linear time. */
  regex?: LabelRegex;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;

/** Parses Alertmanager's matcher syntax; throws INVALID_INPUT naming the text when it is not one. */
export function parseMatcher(text: string): LabelMatcher {
  const m = MATCHER.exec(text);
  if (!m) {
    throw new EngineError(
      'INVALID_INPUT',
      `"${text}" is not a label matcher like name="value" or name=~"regex"`,
      {
        issues: [{ field: 'matcher', message: `not a matcher: ${text}` }],
      },
    );
  }
  const op = m[2] as LabelMatcher['op'];
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
  const matcher: LabelMatcher = { name: m[1]!, op, value };
  if (op === '=~' || op === '!~') {
    try {
      // RE2 (util/labelRegex): an operator's suppression service=~"(a|aa)+b" cost JS's RegExp 1.2 s per
      // 34-character label, held on the event loop for every alert until the suppression ended (found by SEC).
      matcher.regex = remembering(compileLabelRegex(value));
    } catch {
      throw new EngineError('INVALID_INPUT', `"${text}": invalid regular expression`, {
        issues: [{ field: 'matcher', message: `invalid regex in ${text}` }],
      });
    }
  }
  return matcher;
}

/**
 * How many label values a regex matcher remembers its answer for, and the longest it remembers: alerting's matchers
 * (context, inhibition, paging, service-down, suppressions) are asked about the same few alertnames and severities on
 * every alert, and RE2's linear-time matching (re2js, pure JS) cost 2.4% of the engine's samples in alert-noise's
 * storm, and 7% of the pipeline's alone. A full memory is dropped and learned again: bounded whatever the values.
 */
const REMEMBERED_VALUES = 256;
const REMEMBERED_LENGTH = 256;

/** The same answers as `regex` (a pure function of the value), each value's computed once while remembered. */
function remembering(regex: LabelRegex): LabelRegex {
  const answers = new Map<string, boolean>();
  return {
    source: regex.source,
    test(value: string): boolean {
      if (value.length > REMEMBERED_LENGTH) return regex.test(value);
      let answer = answers.get(value);
      if (answer === undefined) {
        answer = regex.test(value);
        if (answers.size >= REMEMBERED_VALUES) answers.clear();
        answers.set(value, answer);
      }
      return answer;
    },
  };
}

/** A missing label matches as the empty string, as in Alertmanager. */
export function matches(matcher: LabelMatcher, labels: Record<string, string>): boolean {
  const value = labels[matcher.name] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return matcher.regex!.test(value);
    case '!~':
      return !matcher.regex!.test(value);
  }
}

export function matchesAll(matchers: LabelMatcher[], labels: Record<string, string>): boolean {
  for (const m of matchers) if (!matches(m, labels)) return false;
  return true;
}

/**
 * True when every matcher also matches an alert without the label (`job=~".*"`, `x=""`, `x!="v"`), so the list matches
 * every alert. Alertmanager refuses a silence like that ("at least one matcher must not match the empty string").
 */
export function matchesEverything(matchers: string[]): boolean {
  try {
    // An empty list is refused by its own issue (at least one matcher).
    return matchers.length > 0 && matchers.every((text) => matches(parseMatcher(text), {}));
  } catch {
    return false; // an invalid matcher is named by its own issue
  }
}

/** A string that must parse as an Alertmanager matcher; a bad one is named by its place (`body.matchers.0`). */
export const matcherString = z.string().superRefine((value, ctx) => {
  try {
    parseMatcher(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});
