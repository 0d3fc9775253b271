import type { ChunkingConfig } from '../config.js';
import type { Chunk } from './Chunk.js';
import type { ParsedDocument } from './parseDocument.js';

export interface ChunkTarget {
  path: string;
  source: string;
  /** Page URL without fragment; section anchors are appended. */
  url?: string;
}

/**
 * Splits a page by headings, then long sections by paragraphs with overlap. Short sections are merged forward so a
 * chunk is never a lone heading; code fences are never cut in the middle when a paragraph boundary exists.
 */
export function chunkDocument(doc: ParsedDocument, target: ChunkTarget, config: ChunkingConfig): Chunk[] {
  const chunks: Chunk[] = [];
  let pending: { headings: string[]; anchor?: string; text: string } | undefined;

  const emit = (headings: string[], anchor: string | undefined, text: string) => {
    const section = headings.join(' > ');
    const url = target.url ? (anchor ? `${target.url}#${anchor}` : target.url) : undefined;
    chunks.push({
      id: `${target.path}#${chunks.length}`,
      path: target.path,
      title: doc.title,
      section,
      ...(url ? { url } : {}),
      text,
      source: target.source,
    });
  };

  const emitSection = (headings: string[], anchor: string | undefined, text: string) => {
    for (const piece of splitLong(text, config.maxChars, config.overlapChars)) emit(headings, anchor, piece);
  };

  for (const section of doc.sections) {
    if (pending) {
      const mergedHeadings = pending.headings.length > 0 ? pending.headings : section.headings;
      const headingLine =
        section.headings.length > 0 ? `${section.headings[section.headings.length - 1]}\n` : '';
      const merged = `${pending.text}\n\n${headingLine}${section.text}`;
      const anchor = pending.anchor ?? section.anchor;
      pending = undefined;
      if (merged.length < config.minChars) {
        pending = { headings: mergedHeadings, ...(anchor ? { anchor } : {}), text: merged };
        continue;
      }
      emitSection(mergedHeadings, anchor, merged);
      continue;
    }
    if (section.text.length < config.minChars) {
      pending = {
        headings: section.headings,
        ...(section.anchor ? { anchor: section.anchor } : {}),
        text: section.text,
      };
      continue;
    }
    emitSection(section.headings, section.anchor, section.text);
  }
  if (pending && pending.text.trim()) emitSection(pending.headings, pending.anchor, pending.text);
  return chunks;
}

/** Paragraph-packing split with character overlap; a single paragraph longer than max is cut at sentence or line ends. */
export function splitLong(text: string, maxChars: number, overlapChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const paragraphs = splitParagraphs(text).flatMap((p) =>
    p.length > maxChars ? hardSplit(p, maxChars) : [p],
  );
  const out: string[] = [];
  let current = '';
  for (const paragraph of paragraphs) {
    if (current && current.length + paragraph.length + 2 > maxChars) {
      out.push(current);
      const tail = overlapChars > 0 ? overlapTail(current, overlapChars) : '';
      current = tail ? `${tail}\n\n${paragraph}` : paragraph;
    } else {
      current = current ? `${current}\n\n${paragraph}` : paragraph;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Paragraphs, keeping each fenced code block whole. */
function splitParagraphs(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (line.trim().startsWith('```')) inFence = !inFence;
    if (!inFence && line.trim() === '') {
      if (current.length) out.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

function hardSplit(paragraph: string, maxChars: number): string[] {
  const pieces = paragraph.match(/[^\n.!?]+(?:[.!?]+|\n|$)/g) ?? [paragraph];
  const out: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current.length + piece.length > maxChars && current) {
      out.push(current.trim());
      current = '';
    }
    if (piece.length > maxChars) {
      for (let i = 0; i < piece.length; i += maxChars) out.push(piece.slice(i, i + maxChars).trim());
    } else {
      current += piece;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out.filter(Boolean);
}

/** The last whole sentences of a chunk, up to n characters. */
function overlapTail(text: string, n: number): string {
  if (text.length <= n) return text;
  const tail = text.slice(-n);
  const boundary = tail.search(/[.!?\n]\s+\S/);
  return (boundary >= 0 ? tail.slice(boundary + 1) : tail).trim();
}
