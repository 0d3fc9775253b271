const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The one way a value (namespace, service, workload, any label value) enters PromQL text: as the body of a
 * double-quoted string literal, escaped so it can never close the literal. Backslash and quote are escaped, and every
 * control character becomes a `\xNN` escape (a raw newline ends a PromQL string with a parse error). With it, the
 * namespace `shop"} or vector(1) or up{x="` stays one odd label value instead of widening the query.
 */
export function escapeLabelValue(value: string): string {
  // A lone surrogate is no text at all: it becomes U+FFFD, as UTF-8 encoding would turn it on the wire anyway.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: each becomes an escape.
  return value.replace(LONE_SURROGATE, '\ufffd').replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
    if (c === '\\' || c === '"') return `\\${c}`;
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** A literal value inside a regex matcher (`pod=~"<value>-.*"`): regex metacharacters first, then the string escape. */
export function escapeRegexLabelValue(value: string): string {
  return escapeLabelValue(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/**
 * Fills a query template's placeholders: `$namespace` and `$service` through escapeLabelValue (templates put them
 * inside quotes, e.g. `namespace="$namespace"`), `$window` as given (a duration the config schema checked).
 * A template in another query language passes its own escape (InfluxQL: escapeInfluxStringValue, for `'$namespace'`).
 */
export function fillQueryTemplate(
  template: string,
  values: { namespace?: string; service?: string; window?: string },
  escape: (value: string) => string = escapeLabelValue,
): string {
  let query = template;
  if (values.namespace !== undefined) query = query.replaceAll('$namespace', escape(values.namespace));
  if (values.service !== undefined) query = query.replaceAll('$service', escape(values.service));
  if (values.window !== undefined) query = query.replaceAll('$window', values.window);
  return query;
}
