/**
 * jsdom has no canvas: the scaffold's setup makes `getContext` return nothing, and uPlot (under Grafana's TimeSeries)
 * needs a 2D context to draw. This one accepts every drawing call and records it with the style in force, so a test
 * can check what was drawn (a dashed stroke in the theme's warning colour) without pixels. It stands in for the
 * browser, not for our code; the browser harness draws the same chart on a real canvas.
 */
export interface CanvasCall {
  method: string;
  args: unknown[];
  strokeStyle: unknown;
  lineDash: number[];
}

export function installRecordingCanvas(): { calls: CanvasCall[]; restore: () => void } {
  const calls: CanvasCall[] = [];
  const original = HTMLCanvasElement.prototype.getContext;
  const contexts = new WeakMap<HTMLCanvasElement, unknown>();
  const results: Record<string, (...args: unknown[]) => unknown> = {
    measureText: (text) => ({
      width: String(text).length * 6,
      actualBoundingBoxAscent: 8,
      actualBoundingBoxDescent: 2,
    }),
    createLinearGradient: () => ({ addColorStop: () => undefined }),
    createPattern: () => ({}),
    getLineDash: () => [],
    isPointInPath: () => false,
  };
  function contextFor(canvas: HTMLCanvasElement) {
    const state: Record<string | symbol, unknown> = { canvas, lineDash: [] };
    return new Proxy(state, {
      get(target, prop) {
        if (prop in target) {
          return target[prop];
        }
        return (...args: unknown[]) => {
          if (prop === 'setLineDash') {
            target.lineDash = args[0];
          }
          calls.push({
            method: String(prop),
            args,
            strokeStyle: target.strokeStyle,
            lineDash: [...((target.lineDash as number[]) ?? [])],
          });
          return results[String(prop)]?.(...args);
        };
      },
      set(target, prop, value) {
        target[prop] = value;
        return true;
      },
    });
  }
  // uPlot builds its paths as Path2D, which jsdom lacks too: a path that accepts every segment.
  const hadPath2D = 'Path2D' in globalThis;
  if (!hadPath2D) {
    (globalThis as Record<string, unknown>).Path2D = class {
      constructor() {
        return new Proxy(this, { get: (t, p) => (p in t ? t[p as keyof typeof t] : () => undefined) });
      }
    };
  }
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement) {
    if (!contexts.has(this)) {
      contexts.set(this, contextFor(this));
    }
    return contexts.get(this);
  } as typeof original;
  const restore = () => {
    HTMLCanvasElement.prototype.getContext = original;
    if (!hadPath2D) {
      delete (globalThis as Record<string, unknown>).Path2D;
    }
  };
  return { calls, restore };
}
