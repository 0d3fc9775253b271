export interface OpenMetricsSeries {
  name: string;
  labels: Record<string, string>;
  /** Default gauge. A counter's name should end in `_total` (its family is the name without it). */
  type?: 'gauge' | 'counter';
  /** Unix seconds. */
  timestamps: number[];
  values: number[];
}

/**
 * OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`. promtool rejects a metric family that appears
 * in two places, so series are grouped by family (in first-seen order) and each series' samples sorted by time.
 */
export function openMetricsFromSeries(series: OpenMetricsSeries[]): string {
  const families = new Map<string, { type: 'gauge' | 'counter'; lines: string[] }>();
  for (const s of series) {
    if (s.timestamps.length !== s.values.length) {
      throw new Error(`series ${s.name}: ${s.timestamps.length} timestamps but ${s.values.length} values`);
    }
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(s.name)) throw new Error(`invalid metric name "${s.name}"`);
    const type = s.type ?? 'gauge';
    const family =
      type === 'counter' && s.name.endsWith('_total') ? s.name.slice(0, -'_total'.length) : s.name;
    let entry = families.get(family);
    if (!entry) {
      entry = { type, lines: [] };
      families.set(family, entry);
    } else if (entry.type !== type) {
      throw new Error(`metric family ${family} is declared both ${entry.type} and ${type}`);
    }
    const labelText = formatLabels(s.labels);
    const order = s.timestamps.map((_, i) => i).sort((a, b) => s.timestamps[a]! - s.timestamps[b]!);
    for (const i of order) {
      entry.lines.push(
        `${s.name}${labelText} ${formatValue(s.values[i]!)} ${formatTimestamp(s.timestamps[i]!)}`,
      );
    }
  }
  const out: string[] = [];
  for (const [family, { type, lines }] of families) {
    out.push(`# TYPE ${family} ${type}`);
    // No spread: a family can hold more lines than a call may take arguments.
    for (const line of lines) out.push(line);
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

export function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const parts = entries.map(([key, value]) => {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key)) throw new Error(`invalid label name "${key}"`);
    return `${key}="${escapeLabelValue(value)}"`;
  });
  return `{${parts.join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatTimestamp(seconds: number): string {
  // Millisecond precision is what the TSDB stores; more digits would only add float noise.
  return String(Math.round(seconds * 1000) / 1000);
}
