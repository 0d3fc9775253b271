const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * A Kubernetes resource quantity (`512Mi`, `3920m`, `28494748Ki`, `1e9`, `2G`) as a number (bytes, cores);
 * undefined when absent or malformed. Hand-written: client-node ships no parser and the grammar is this small.
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/.exec(value.trim());
  if (!m) return undefined;
  const factor = BINARY[m[2] ?? ''] ?? DECIMAL[m[2] ?? ''];
  const n = Number(m[1]) * (factor ?? NaN);
  return Number.isFinite(n) ? n : undefined;
}

/** Bytes as the quantity a person writes in a manifest: whole Mi when possible, else Ki. */
export function formatMemory(bytes: number): string {
  if (bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30}Gi`;
  if (bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20}Mi`;
  return `${Math.ceil(bytes / 1024)}Ki`;
}
