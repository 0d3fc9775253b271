import { createApp } from '@backstage/app-defaults';
import { createApiFactory, useApi } from '@backstage/core-plugin-api';
import { appLanguageApiRef } from '@backstage/core-plugin-api/alpha';
import { act, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { ReactNode } from 'react';
import { cloudOpsApiRef, type CloudOpsApi } from './api/CloudOpsApi';
import type { EntityScope, IncidentDto, RepairActionDto } from './api/types';
import { AssistantCard } from './components/AssistantCard';
import { HealthStatus } from './components/HealthStatus';
import { IncidentsCard } from './components/IncidentsCard';
import { RepairsCard } from './components/RepairsCard';
import { WorkloadsCard } from './components/WorkloadsCard';
import { aiCloudOpsMessages, aiCloudOpsTranslations } from './translation';
import zhMessages from './translations/zhMessages';

// A whole Backstage app (its real translation API and language selector) on a busy shared machine.
jest.setTimeout(60_000);

const incident: IncidentDto = {
  id: 'inc-1',
  fingerprint: 'f',
  title: 'HighLatency on cart',
  severity: 'critical',
  status: 'open',
  services: ['cart'],
  alerts: [
    {
      fingerprint: 'a1',
      labels: { alertname: 'HighLatency', service: 'cart' },
      status: 'firing',
      startsAt: '2026-12-06T10:00:00Z',
      flapping: false,
      reason: { kind: 'first', detail: 'opened the incident' },
    },
  ],
  truncatedAlerts: 0,
  openedAt: '2026-12-06T10:00:00Z',
  updatedAt: '2026-12-06T10:00:00Z',
} as unknown as IncidentDto;

/** A repair waiting for approval in namespace pay, its dry run passed. */
const approval = {
  id: 'a1',
  state: 'awaiting-approval',
  planned: {
    type: 'raise-memory-limit',
    target: { kind: 'Deployment', namespace: 'pay', name: 'payment' },
    reason: 'OOMKilled 3 times',
    ruleId: 'oom-raise-memory',
  },
  finding: { type: 'OOMKilled', workload: { kind: 'Deployment', namespace: 'pay', name: 'payment' } },
  dryRun: { ok: true, at: '2026-12-06T10:05:01Z', diff: [] },
} as unknown as RepairActionDto;

/**
 * The engine as the cards see it: one open incident; repair cannot act in namespace shop and has one approval in pay.
 * Nothing here is under test.
 */
const engine = {
  getIncidents: async () => [incident],
  getRepairs: async (scope: EntityScope) =>
    scope.namespace === 'pay'
      ? { findings: [], approvals: [approval] }
      : { unavailable: true, capability: 'repair', message: 'no write access to shop' },
  getEntityWorkloads: async () => ({
    target: { labelSelector: 'app=cart' },
    items: [{ cluster: 'simulated', workloads: [] }],
  }),
} as unknown as CloudOpsApi;

let setLanguage: (language: string) => void = () => undefined;
function LanguageHandle() {
  const languageApi = useApi(appLanguageApiRef);
  setLanguage = (language) => languageApi.setLanguage(language);
  return null;
}

/** An app that offers 中文 the way Backstage apps do; `resources` as the app lists them (none: the ref's own). */
function renderInApp(children: ReactNode, resources: Array<typeof aiCloudOpsTranslations> = []) {
  const app = createApp({
    apis: [createApiFactory(cloudOpsApiRef, engine)],
    // A real app's backend.baseUrl: the default permission API finds the permission backend through it (and, with
    // permission.enabled unset, ALLOWs without asking, as a portal without the permission framework does).
    configLoader: async () => [
      { context: 'test', data: { app: { title: 'test' }, backend: { baseUrl: 'http://localhost:7007' } } },
    ],
    components: { Router: ({ children: c }) => <MemoryRouter>{c}</MemoryRouter> },
    __experimentalTranslations: { availableLanguages: ['en', 'zh'], resources },
  });
  const AppProvider = app.getProvider();
  const AppRouter = app.getRouter();
  return render(
    <AppProvider>
      <AppRouter>
        <LanguageHandle />
        {children}
      </AppRouter>
    </AppProvider>,
  );
}

const cards = (
  <>
    <HealthStatus health="degraded" />
    <IncidentsCard scope={{ namespace: 'shop', names: ['cart'] }} />
    <RepairsCard scope={{ namespace: 'shop', names: ['cart'] }} />
    <WorkloadsCard entityRef={{ kind: 'component', namespace: 'default', name: 'cart' }} />
    <AssistantCard service="cart" namespace="shop" />
  </>
);

describe('two languages', () => {
  afterEach(() => localStorage.clear());

  test('switching the app language to zh renders the cards in Chinese, the engine data as sent', async () => {
    renderInApp(cards);
    expect(await screen.findByText('Open incidents')).toBeInTheDocument();
    expect(screen.getByText('degraded')).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Acknowledge' })).toBeInTheDocument();

    act(() => setLanguage('zh'));

    expect(await screen.findByText('未关闭的事件')).toBeInTheDocument();
    expect(screen.getByText('降级')).toBeInTheDocument();
    expect(screen.getByText('询问此服务')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '确认' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '提问' })).toBeInTheDocument();
    expect(screen.getByText('自动修复')).toBeInTheDocument();
    // The note is in Chinese around the engine's reason as sent.
    expect(screen.getByText('此引擎不提供自动修复：no write access to shop')).toBeInTheDocument();
    expect(screen.getByText('没有与 app=cart 匹配的工作负载。')).toBeInTheDocument();
    expect(screen.getByText(/^\[严重\] HighLatency on cart$/)).toBeInTheDocument();
    expect(screen.getByText(/HighLatency \(触发中\): first: opened the incident/)).toBeInTheDocument();
    for (const english of ['Open incidents', 'degraded', 'Acknowledge', 'Ask about this service']) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }

    act(() => setLanguage('en'));
    expect(await screen.findByText('Open incidents')).toBeInTheDocument();
  });

  test('a user who chose zh before gets Chinese on the next visit, also in an app that lists the resource', async () => {
    // Where Backstage's language selector keeps the user's choice across visits.
    localStorage.setItem('language', 'zh');
    renderInApp(cards, [aiCloudOpsTranslations]);
    expect(await screen.findByText('未关闭的事件')).toBeInTheDocument();
    expect(screen.getByText('降级')).toBeInTheDocument();
  });

  test('a label and its value read as one Chinese phrase (no space after the full-width colon)', async () => {
    localStorage.setItem('language', 'zh');
    renderInApp(<RepairsCard scope={{ namespace: 'pay', names: ['payment'] }} />);
    expect(await screen.findByText('试运行：通过')).toBeInTheDocument();
  });

  test('the Chinese messages cover every English key, with the same placeholders, in Chinese', () => {
    const flatten = (o: object, prefix = ''): Record<string, string> =>
      Object.fromEntries(
        Object.entries(o).flatMap(([k, v]) =>
          typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flatten(v, `${prefix}${k}.`)),
        ),
      );
    const en = flatten(aiCloudOpsMessages);
    const zh: Record<string, string> = zhMessages;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en)) {
      expect({ key, vars: vars(zh[key]) }).toEqual({ key, vars: vars(en[key]) });
      // Product names and Kubernetes terms stay as SREs say them; everything else is Chinese.
      const rest = zh[key]
        .replace(/\{\{\w+\}\}/g, '')
        .replace(
          /\b(?:Alertmanager|Prometheus|Kubernetes|Webhook|Pod|Deployment|OOM|CPU|MASE|UTC|curl|repair\.maxMode|recommend)\b/g,
          '',
        );
      expect({
        key,
        english: /[A-Za-z]{2,}/.test(rest),
        // A bare Kubernetes term (Pod) is a whole message.
        chinese: rest.trim() === '' || /[\u4e00-\u9fff\u3000-\u303f\uff08-\uff1f]/.test(rest),
      }).toEqual({
        key,
        english: false,
        chinese: true,
      });
    }
  });
});
