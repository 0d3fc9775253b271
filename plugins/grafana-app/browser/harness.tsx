/**
 * A stand-in for the parts of Grafana a built app plugin needs, so dist/module.js can run in a real browser where
 * no Grafana server exists: an AMD `define` that hands the plugin Grafana's shared modules (the plugin's webpack
 * externals), a backend service over the browser's fetch, and a router. The harness server (harnessServer.ts)
 * serves dist/ under Grafana's plugin path and emulates the plugin's `engine` proxy route.
 */
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import i18next from 'i18next';
import * as reactRouter from 'react-router';
import * as rxjs from 'rxjs';
import pluginJson from '../src/plugin.json';

type AnyRecord = Record<string, unknown>;

const moduleUri = `/public/plugins/${pluginJson.id}/module.js`;
const shared: AnyRecord = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  '@emotion/css': emotionCss,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  'react-router': reactRouter,
  rxjs,
  // Grafana shares its i18next instance with plugins (@grafana/i18n inside the plugin binds t() to it).
  i18next,
  module: { uri: moduleUri },
};

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

const backendSrv = {
  fetch(options: grafanaRuntime.BackendSrvRequest) {
    return rxjs.from(
      (async () => {
        const response = await fetch(options.url, {
          method: options.method ?? 'GET',
          headers: options.headers,
          body:
            options.data === undefined
              ? undefined
              : typeof options.data === 'string'
                ? options.data
                : JSON.stringify(options.data),
        });
        const text = await response.text();
        if (!response.ok) {
          throw { status: response.status, statusText: response.statusText, data: parse(text), config: options };
        }
        return {
          status: response.status,
          statusText: response.statusText,
          ok: true,
          headers: response.headers,
          redirected: false,
          type: response.type,
          url: options.url,
          config: options,
          data: options.responseType === 'text' ? text : parse(text),
        };
      })()
    );
  },
};
(grafanaRuntime as unknown as { setBackendSrv(srv: unknown): void }).setBackendSrv(backendSrv);

function loadPlugin(): Promise<{ plugin: grafanaData.AppPlugin }> {
  return new Promise((resolve, reject) => {
    const define = (deps: string[], factory: (...args: unknown[]) => unknown) => {
      const missing = deps.filter((d) => !(d in shared));
      if (missing.length > 0) {
        reject(new Error(`the plugin needs modules the harness lacks: ${missing.join(', ')}`));
        return;
      }
      resolve(factory(...deps.map((d) => shared[d])) as { plugin: grafanaData.AppPlugin });
    };
    (window as unknown as AnyRecord).define = Object.assign(define, { amd: true });
    const script = document.createElement('script');
    script.src = moduleUri;
    script.onerror = () => reject(new Error(`cannot load ${moduleUri}`));
    document.head.appendChild(script);
  });
}

/**
 * `?lang=zh-Hans` does what Grafana does for a user with that language: its i18next instance starts in the language
 * and holds the plugin's catalog (dist/locales/<lang>/<plugin id>.json, the file plugin.json `languages` names)
 * before the plugin's module binds t() to its namespace.
 */
async function initLanguage(): Promise<void> {
  const language = new URLSearchParams(window.location.search).get('lang');
  if (!language) {
    return;
  }
  const response = await fetch(`/public/plugins/${pluginJson.id}/locales/${language}/${pluginJson.id}.json`);
  if (!response.ok) {
    throw new Error(`no ${language} catalog: ${response.status}`);
  }
  await i18next.init({
    lng: language,
    fallbackLng: 'en-US',
    returnEmptyString: false,
    resources: { [language]: { [pluginJson.id]: await response.json() } },
  });
}

async function main() {
  await initLanguage();
  const { plugin } = await loadPlugin();
  const Root = plugin.root as unknown as React.ComponentType<AnyRecord>;
  const page = new URLSearchParams(window.location.search).get('page') ?? '';
  const meta = { id: pluginJson.id, name: pluginJson.name, type: 'app', enabled: true, jsonData: {} };
  const theme = grafanaData.createTheme();
  // Grafana's global styles (box sizing, body colours) so layout matches what users see.
  createRoot(document.getElementById('root')!).render(
    <grafanaUi.ThemeContext.Provider value={theme}>
      <grafanaUi.GlobalStyles />
      <reactRouter.MemoryRouter initialEntries={[`/${page}`]}>
        {/* Grafana's page content area pads a plugin page by 16 px (theme.spacing(2)) each side. */}
        <div style={{ padding: theme.spacing(2) }}>
          <Root
            meta={meta}
            query={{}}
            path={`/a/${pluginJson.id}`}
            basename={`/a/${pluginJson.id}`}
            onNavChanged={() => undefined}
          />
        </div>
      </reactRouter.MemoryRouter>
    </grafanaUi.ThemeContext.Provider>
  );
  document.body.dataset.harness = 'mounted';
}

main().catch((error: unknown) => {
  document.body.dataset.harness = 'failed';
  document.body.textContent = `harness failed: ${error instanceof Error ? error.stack : String(error)}`;
});
