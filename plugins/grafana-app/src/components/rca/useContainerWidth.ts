import { useLayoutEffect, useRef, useState } from 'react';

/**
 * The width of an element, following resizes. Charts need a pixel width; `AutoSizer` is not among Grafana's shared
 * modules, and a ResizeObserver is all it takes. Without one (jsdom) the fallback width is used.
 */
export function useContainerWidth<T extends HTMLElement>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry?.contentRect.width ?? 0);
      if (w > 0) {
        setWidth(w);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}
