/**
 * A small RFC 4180 CSV reader (quoted fields, doubled quotes, newlines inside quotes) for the dataset loaders. Lines
 * without quotes take a fast path (split on commas); only quoted records are parsed character by character.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(pos, end - 1) : text.slice(pos, end);
    if (!line.includes('"')) {
      rows.push(line.split(','));
      pos = end + 1;
      continue;
    }
    const [row, next] = parseQuotedRecord(text, pos);
    rows.push(row);
    pos = next;
  }
  return rows;
}

/** Parses one record starting at `pos` that contains quotes; returns it and the position after its line end. */
function parseQuotedRecord(text: string, pos: number): [string[], number] {
  const row: string[] = [];
  let field = '';
  let quoted = false;
  let i = pos;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      return [row, i + 1];
    } else field += c;
  }
  row.push(field);
  return [row, i];
}

/** Rows as objects keyed by the header row. */
export function parseCsvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows
    .filter((r) => r.length > 1 || (r[0] ?? '') !== '')
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
