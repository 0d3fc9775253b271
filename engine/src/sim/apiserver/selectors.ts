import { badRequest } from './ApiError.js';
import type { KubeObject } from './KubeObject.js';

/** A parsed label selector: every requirement must hold. */
export type LabelRequirement =
  { key: string; op: 'exists' | '!exists' } | { key: string; op: 'in' | 'notin'; values: string[] };

export type Matcher<T> = (value: T) => boolean;

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Splits on commas that are not inside `( )`, since `in (a,b)` uses commas too. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key))
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${selector}"`);
  return key;
}

function checkValue(value: string, selector: string): string {
  if (!VALUE.test(value))
    throw badRequest(`unable to parse requirement: invalid label value "${value}" in "${selector}"`);
  return value;
}

export function parseLabelSelector(selector: string | undefined): LabelRequirement[] {
  if (!selector || !selector.trim()) return [];
  return splitTopLevel(selector).map((part): LabelRequirement => {
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (set) {
      const values = set[3]!
        .split(',')
        .map((v) => v.trim())
        .map((v) => checkValue(v, selector));
      return { key: checkKey(set[1]!, selector), op: set[2] as 'in' | 'notin', values };
    }
    if (part.startsWith('!')) return { key: checkKey(part.slice(1).trim(), selector), op: '!exists' };
    const eq = /^([^!=\s]+)\s*(==|!=|=)\s*(.*)$/.exec(part);
    if (eq) {
      const key = checkKey(eq[1]!, selector);
      const value = checkValue(eq[3]!.trim(), selector);
      return { key, op: eq[2] === '!=' ? 'notin' : 'in', values: [value] };
    }
    return { key: checkKey(part, selector), op: 'exists' };
  });
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(
  selector: string | undefined,
  supported: ReadonlySet<string>,
): FieldRequirement[] {
  if (!selector || !selector.trim()) return [];
  return selector
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([^!=\s]+)\s*(==|!=|=)\s*(.*)$/.exec(part);
      if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
      const field = m[1]!;
      if (!supported.has(field)) throw badRequest(`field label not supported: ${field}`);
      return { field, op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() };
    });
}

export function matchesFields(
  requirements: FieldRequirement[],
  obj: KubeObject,
  getters: Record<string, (obj: KubeObject) => string | undefined>,
): boolean {
  return requirements.every((r) => {
    const actual = getters[r.field]?.(obj) ?? '';
    return r.op === '=' ? actual === r.value : actual !== r.value;
  });
}
