import { parse as parseYaml } from 'yaml';
import { EngineError } from '../../errors.js';

/** A document reduced to plain text sections under their heading path; what the chunker consumes. */
export interface ParsedDocument {
  title: string;
  description?: string;
  frontMatter: Record<string, unknown>;
  sections: ParsedSection[];
}

export interface ParsedSection {
  /** Heading path from the top of the page, e.g. ['Affinity and anti-affinity', 'Node affinity']. */
  headings: string[];
  /** URL fragment of the innermost heading. */
  anchor?: string;
  text: string;
}

export type DocumentFormat = 'markdown' | 'html' | 'text';

export interface ParseOptions {
  /** Resolves `{{< code_sample file="x" >}}`-style includes to file content; undefined drops the include. */
  resolveInclude?: (file: string) => string | undefined;
  /** Used as title when the page has none. */
  fallbackTitle: string;
}

export function formatOf(path: string): DocumentFormat | undefined {
  const lower = path.toLowerCase();
  if (/\.(md|markdown|mdx)$/.test(lower)) return 'markdown';
  if (/\.html?$/.test(lower)) return 'html';
  if (lower.endsWith('.txt')) return 'text';
  return undefined;
}

export function parseDocument(
  content: string,
  format: DocumentFormat,
  options: ParseOptions,
): ParsedDocument {
  if (format === 'html') return parseHtml(content, options);
  if (format === 'text') {
    return {
      title: options.fallbackTitle,
      frontMatter: {},
      sections: [{ headings: [], text: content.trim() }],
    };
  }
  return parseMarkdown(content, options);
}

export function slugify(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-');
}

function splitFrontMatter(content: string): { frontMatter: Record<string, unknown>; body: string } {
  const text = content.replace(/^\uFEFF/, '');
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) {
    if (/^---[ \t]*\r?\n/.test(text)) {
      throw new EngineError('INVALID_INPUT', 'front matter starts with --- but is never closed');
    }
    return { frontMatter: {}, body: text };
  }
  let data: unknown;
  try {
    // Duplicate keys occur in real docs (last one wins, as Hugo reads them); malformed YAML still fails.
    data = parseYaml(match[1]!, { uniqueKeys: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new EngineError('INVALID_INPUT', `broken front matter: ${reason}`, { cause: error });
  }
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    throw new EngineError('INVALID_INPUT', 'broken front matter: expected a YAML mapping');
  }
  return { frontMatter: (data ?? {}) as Record<string, unknown>, body: text.slice(match[0].length) };
}

const SHORTCODE = /\{\{([<%])\s*(\/?)\s*([\w-]+)([^}]*?)\s*[>%]\}\}/g;

function shortcodeAttr(attrs: string, name: string): string | undefined {
  const m =
    new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(attrs) ??
    new RegExp(`\\b${name}\\s*=\\s*'([^']*)'`).exec(attrs);
  return m?.[1];
}

/**
 * Hugo-style shortcodes: tooltips keep their visible text, includes expand to the included file as a code block,
 * feature-state becomes a short sentence, every other marker (note, tabs, capture, ...) disappears but its inner
 * text stays.
 */
function expandShortcodes(body: string, options: ParseOptions): string {
  return body.replace(SHORTCODE, (_all, _delim: string, closing: string, name: string, attrs: string) => {
    if (closing) return '';
    const lname = name.toLowerCase();
    if (lname === 'glossary_tooltip' || lname === 'tooltip') {
      return shortcodeAttr(attrs, 'text') ?? (shortcodeAttr(attrs, 'term_id') ?? '').replace(/[-_]/g, ' ');
    }
    if (lname === 'code_sample' || lname === 'codenew' || lname === 'code' || lname === 'include') {
      const file = shortcodeAttr(attrs, 'file');
      const included = file ? options.resolveInclude?.(file) : undefined;
      return included ? `\n\`\`\`\n${included.trim()}\n\`\`\`\n` : '';
    }
    if (lname === 'feature-state') {
      const state = shortcodeAttr(attrs, 'state');
      const version = shortcodeAttr(attrs, 'for_k8s_version');
      return state ? `(feature state: ${state}${version ? ` since ${version}` : ''})` : '';
    }
    const text = shortcodeAttr(attrs, 'text') ?? shortcodeAttr(attrs, 'title');
    return text ?? '';
  });
}

/** Inline Markdown to plain text: links keep their text, images and HTML tags go, emphasis marks go. */
function inlineToText(line: string): string {
  return line
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|\W)[*_]([^*_\n]+)[*_](?=\W|$)/g, '$1$2');
}

function parseMarkdown(content: string, options: ParseOptions): ParsedDocument {
  const { frontMatter, body } = splitFrontMatter(content);
  const expanded = expandShortcodes(body.replace(/<!--[\s\S]*?-->/g, ''), options);
  const lines = expanded.split(/\r?\n/);
  const sections: ParsedSection[] = [];
  const stack: Array<{ level: number; text: string; anchor: string }> = [];
  let buffer: string[] = [];
  let inFence: string | undefined;
  let firstH1: string | undefined;

  const flush = () => {
    const text = buffer
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    buffer = [];
    if (!text) return;
    const top = stack[stack.length - 1];
    sections.push({ headings: stack.map((s) => s.text), ...(top ? { anchor: top.anchor } : {}), text });
  };

  for (const raw of lines) {
    const fence = /^\s*(```+|~~~+)/.exec(raw);
    if (fence) {
      if (!inFence) inFence = fence[1]!.slice(0, 3);
      else if (raw.trim().startsWith(inFence)) inFence = undefined;
      // Keep code blocks verbatim (commands and manifests are what operators search for), minus the language tag.
      buffer.push(raw.trim().startsWith('```') || raw.trim().startsWith('~~~') ? '```' : raw);
      continue;
    }
    if (inFence) {
      buffer.push(raw);
      continue;
    }
    const heading = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(raw);
    if (heading) {
      flush();
      const level = heading[1]!.length;
      let text = heading[2]!;
      let anchor: string | undefined;
      const explicit = /\s*\{#([\w-]+)\}\s*$/.exec(text);
      if (explicit) {
        anchor = explicit[1];
        text = text.slice(0, explicit.index);
      }
      text = inlineToText(text).trim();
      if (level === 1 && firstH1 === undefined && sections.length === 0 && stack.length === 0) firstH1 = text;
      while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
      stack.push({ level, text, anchor: anchor ?? slugify(text) });
      continue;
    }
    buffer.push(inlineToText(raw));
  }
  flush();

  const fmTitle = typeof frontMatter.title === 'string' ? frontMatter.title.trim() : undefined;
  const title = fmTitle || firstH1 || options.fallbackTitle;
  const description =
    typeof frontMatter.description === 'string'
      ? inlineToText(expandShortcodes(frontMatter.description, options)).trim()
      : undefined;
  // A page-level H1 equal to the title adds nothing to each heading path.
  for (const s of sections)
    if (s.headings[0] === title && s.headings.length > 0 && firstH1 === title) s.headings.shift();
  if (description) sections.unshift({ headings: [], text: description });
  return { title, ...(description ? { description } : {}), frontMatter, sections };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (all, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X'))
      return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(parseInt(code.slice(1), 10));
    return ENTITIES[code.toLowerCase()] ?? all;
  });
}

function parseHtml(content: string, options: ParseOptions): ParsedDocument {
  const cleaned = content
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|nav|footer|header|noscript)\b[\s\S]*?<\/\1>/gi, '');
  const titleTag = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(cleaned)?.[1];
  const bodyMatch = /<body[^>]*>([\s\S]*)<\/body>/i.exec(cleaned);
  const body = bodyMatch ? bodyMatch[1]! : cleaned.replace(/<head[\s\S]*?<\/head>/i, '');
  // Headings become Markdown headings, block ends become newlines, then the Markdown path does the rest.
  const asMarkdown = body
    .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_a, level: string, text: string) => {
      return `\n${'#'.repeat(Number(level))} ${text
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim()}\n`;
    })
    .replace(
      /<pre[^>]*>([\s\S]*?)<\/pre>/gi,
      (_a, code: string) => `\n\`\`\`\n${code.replace(/<[^>]+>/g, '')}\n\`\`\`\n`,
    )
    .replace(/<(br|\/p|\/div|\/li|\/tr|\/section|\/article)\b[^>]*>/gi, '\n')
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<[^>]+>/g, '');
  const doc = parseMarkdown(decodeEntities(asMarkdown), options);
  const title = titleTag ? decodeEntities(titleTag.replace(/\s+/g, ' ').trim()) : doc.title;
  return { ...doc, title: title || options.fallbackTitle };
}
