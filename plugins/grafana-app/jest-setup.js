// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
import { configure } from '@testing-library/react';

// Browser observers jsdom lacks; @grafana/ui's menus and scroll containers create them on mount. Layout never
// happens in jsdom, so observers that never fire are the faithful stand-in.
class InertObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
for (const name of ['IntersectionObserver', 'ResizeObserver']) {
  if (!(name in global)) {
    Object.defineProperty(global, name, { writable: true, configurable: true, value: InertObserver });
  }
}

// jsdom does no layout, and @grafana/ui's Combobox needs some: it sizes its menu from canvas text metrics (the
// scaffold's setup makes getContext return nothing) and renders only the options that fit its scroll box (0px high in
// jsdom, so none). A context measuring text by its length and boxes of a few hundred pixels stand in for the browser's.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return { font: '', measureText: (text) => ({ width: text.length * 8 }) };
};
Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 300 });

// findBy*/waitFor give up after 1 s by default; on a busy 2-core CI machine a page's first render after a lazy import
// or a real engine's answer can take longer (a CI run failed this way). Each test still has its 30 s timeout.
configure({ asyncUtilTimeout: 10000 });
