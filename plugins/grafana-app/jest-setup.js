// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

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
