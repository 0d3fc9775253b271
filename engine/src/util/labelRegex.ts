import { RE2JS } from 're2js';

/** A compiled label regex: only `test`, so it can stand where a RegExp's `test` is used. */
export interface LabelRegex {
  readonly source: string;
  test(value: string): boolean;
}

/**
 * A label matcher's regex (`=~` / `!~` of PromQL and Alertmanager) compiled as Prometheus and Alertmanager compile
 * it: RE2 syntax, anchored as `^(?:re)$`, matched in linear time. JavaScript's backtracking RegExp ran
 * `pod=~"(.*.*)*x"` from a viewer's /metrics/query on the demo for minutes (the event loop held, /healthz timing out)
 * and an operator's suppression `service=~"(a|aa)+b"` 1.2 s per 34-character label; RE2 has no backtracking, and
 * it refuses what RE2 (and so Prometheus) refuses: back-references, lookaround. re2js is Go's RE2 ported to
 * JavaScript (pure JS, no native build), the same engine and syntax as Prometheus' own.
 * Throws an Error whose message says what RE2 could not parse.
 */
export function compileLabelRegex(pattern: string): LabelRegex {
  const compiled = RE2JS.compile(`^(?:${pattern})$`);
  return { source: pattern, test: (value: string) => compiled.matches(value) };
}
