/**
 * A link that opens a PromQL query in Grafana Explore over a time range (ms or Grafana's relative strings).
 * Without a datasource uid Explore falls back to the default datasource.
 */
export function exploreUrl(
  expr: string,
  range: { from: number | string; to: number | string },
  datasourceUid?: string
): string {
  const query: Record<string, unknown> = { refId: 'A', expr };
  if (datasourceUid) {
    query.datasource = { type: 'prometheus', uid: datasourceUid };
  }
  const pane: Record<string, unknown> = {
    queries: [query],
    range: { from: String(range.from), to: String(range.to) },
  };
  if (datasourceUid) {
    pane.datasource = datasourceUid;
  }
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ a: pane }))}`;
}
