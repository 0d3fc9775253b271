const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** Parses a Kubernetes resource quantity (`256Mi`, `100m`, `1.5`, `2G`) into a plain number; NaN if malformed. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|Pi|m|k|K|M|G|T|P)?$/.exec(value.trim());
  if (!m) return NaN;
  const unit = m[2] ?? '';
  return Number(m[1]) * (BINARY[unit] ?? DECIMAL[unit] ?? NaN);
}
