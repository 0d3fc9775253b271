import { afterAll, beforeAll } from 'vitest';
import { startDemoApp, type DemoApp } from './startDemoApp.js';

/**
 * The demo app started once for a test file and closed after it: call it at the top of the file (it registers the
 * beforeAll/afterAll) and use `demo.app` inside tests. Eight route tests wrote these hooks out by hand. Imported
 * from this file, not from index.ts: it registers vitest hooks, and the benchmarks import the index outside vitest.
 */
export function demoAppPerFile(config: Record<string, unknown> = {}): DemoApp {
  let current: DemoApp | undefined;
  beforeAll(async () => {
    current = await startDemoApp(config);
  }, 60_000);
  afterAll(async () => {
    await current?.close();
  });
  const started = (): DemoApp => {
    if (!current) throw new Error('the demo app starts in beforeAll: use it inside a test or hook');
    return current;
  };
  return {
    get engine() {
      return started().engine;
    },
    get app() {
      return started().app;
    },
    close: () => started().close(),
  };
}
