export interface GraphLayout {
  width: number;
  height: number;
  positions: Map<string, { x: number; y: number }>;
}

const COLUMN = 170;
const ROW = 96;
const MARGIN = { x: 70, y: 40 };

/**
 * Columns by call depth (a service sits one column right of its deepest caller), rows in name order. Services form a
 * few layers in practice (the demo shop: 4 columns of at most 3), so a layered layout reads like a call flow without
 * a force simulation. Hand-written because Grafana's node graph layout is not exported from @grafana/ui; cycles are
 * cut by capping the depth at the node count.
 */
export function layoutGraph(ids: string[], edges: Array<{ source: string; target: string }>): GraphLayout {
  const depth = new Map(ids.map((id) => [id, 0]));
  for (let pass = 0; pass < ids.length; pass++) {
    let changed = false;
    for (const e of edges) {
      const next = Math.min(ids.length - 1, (depth.get(e.source) ?? 0) + 1);
      if (e.source !== e.target && depth.has(e.target) && next > depth.get(e.target)!) {
        depth.set(e.target, next);
        changed = true;
      }
    }
    if (!changed) {
      break;
    }
  }
  const columns: string[][] = [];
  for (const id of [...ids].sort()) {
    (columns[depth.get(id)!] ??= []).push(id);
  }
  const used = columns.filter((c) => c !== undefined);
  const rows = Math.max(1, ...used.map((c) => c.length));
  const height = 2 * MARGIN.y + rows * ROW;
  const positions = new Map<string, { x: number; y: number }>();
  used.forEach((column, ci) => {
    // Each column centred vertically, so a lone service lines up with the middle of its neighbours.
    const top = MARGIN.y + ((rows - column.length) * ROW) / 2;
    column.forEach((id, ri) => positions.set(id, { x: MARGIN.x + ci * COLUMN, y: top + ri * ROW + ROW / 2 - 14 }));
  });
  return { width: 2 * MARGIN.x + (used.length - 1) * COLUMN, height, positions };
}
