/**
 * The language to answer in, from the question's script. The platform speaks two languages (English and Simplified
 * Chinese), so the decision is between those two only and the script decides it: a question with at least as many
 * Han characters as Latin words is Chinese ("cart 的 pod 为什么一直重启?" has 8 Han characters and 2 Latin words),
 * anything else English ("why does the log say 连接失败" quotes Chinese but asks in English: 4 vs 5). Hand-written
 * because a language-identification library (franc, cld) chooses among hundreds of languages from character
 * n-grams and needs more text than a one-line question with Kubernetes identifiers in it; here two regexes suffice.
 * Code in backticks is left out: `kubectl` commands and log excerpts are not the language the person writes in.
 */

export type AnswerLanguage = 'en' | 'zh-CN';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z][A-Za-z0-9'-]*/g;

export function questionLanguage(question: string): AnswerLanguage {
  const prose = question.replace(/`[^`]*`/g, ' ');
  const han = prose.match(HAN)?.length ?? 0;
  if (han === 0) return 'en';
  const latinWords = prose.match(LATIN_WORD)?.length ?? 0;
  return han >= latinWords ? 'zh-CN' : 'en';
}

/**
 * The instruction added to the prompt for a language other than English (the base prompt is English, so an English
 * question needs none). Identifiers, commands and citation numbers stay as they are so they can still be copied and
 * checked against the sources.
 */
export function languageInstruction(language: AnswerLanguage): string | undefined {
  if (language === 'zh-CN') {
    return (
      'Answer in Simplified Chinese (简体中文), the language of the question. Keep Kubernetes object names, field ' +
      'names, commands, log lines and citation numbers like [1] exactly as they are. If you do not know, say ' +
      '"我不知道" and what is missing.'
    );
  }
  return undefined;
}
