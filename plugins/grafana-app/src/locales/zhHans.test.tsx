import React from 'react';
import { render, screen, within } from '@testing-library/react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { OverviewPage } from '../pages/OverviewPage';
import { ConfigEditor } from '../datasource/components/ConfigEditor';
import { RcaEmptyState } from '../components/rca/RcaEmptyState';
import { jobProgressText } from '../pages/RootCausePage';
import type { CloudOpsDataSourceOptions, CloudOpsSecureJsonData } from '../datasource/types';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, routes } from '../test/FakeBackendSrv';
import { workload } from '../test/fixtures';
import appJson from '../plugin.json';
import datasourceJson from '../datasource/plugin.json';
import appZh from './zh-Hans/aicloudops-cloudops-app.json';
import datasourceZh from '../datasource/locales/zh-Hans/aicloudops-cloudops-datasource.json';
import { resetTranslations, switchLanguage } from './testTranslations';

/** A Grafana user whose language is 简体中文 opens the plugin's pages. */
describe('zh-Hans', () => {
  afterEach(() => resetTranslations());

  test('the Overview page renders in Chinese, the engine data as sent', async () => {
    await switchLanguage(appJson.id, 'zh-Hans', appZh);
    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/readyz`]: () => ({
          status: 200,
          body: {
            ready: true,
            profile: 'demo',
            checks: [{ name: 'metrics', ok: true, detail: 'synthetic', latencyMs: 1 }],
          },
        }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/clusters`]: () => ({
          status: 200,
          body: { items: [{ name: 'simulated', default: true }] },
        }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/workloads`]: () => ({
          status: 200,
          body: {
            items: [
              workload('checkout', 'unavailable', { reasons: ['0/2 replicas ready'] }),
              workload('cart', 'healthy'),
            ],
          },
        }),
      })
    ).install();

    render(<OverviewPage />);

    const rows = await screen.findAllByTestId(testIds.overview.workloadRow);
    expect(screen.getByRole('heading', { name: '工作负载' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /刷新/ })).toBeInTheDocument();
    expect(screen.getByText('命名空间')).toBeInTheDocument();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(
      expect.arrayContaining(['工作负载', '健康状态', '就绪', '重启次数', '原因'])
    );
    expect(screen.getByText('健康 1，降级 0，不可用 1')).toBeInTheDocument();
    expect(screen.getByText('demo 配置')).toBeInTheDocument();
    const checkout = within(rows[0]);
    expect(checkout.getByText('不可用')).toBeInTheDocument();
    expect(checkout.getByRole('link', { name: /根因分析/ })).toBeInTheDocument();
    expect(checkout.getByRole('link', { name: /预测/ })).toBeInTheDocument();
    // What the engine reports stays as it is: workload names, kinds, reasons.
    expect(checkout.getByText('0/2 replicas ready')).toBeInTheDocument();
    expect(checkout.getByText('Deployment')).toBeInTheDocument();
    // No English label of the page is left (the engine's data aside).
    for (const english of ['Workloads', 'Refresh', 'Namespace', 'Health', 'Restarts', 'Root cause', 'healthy']) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }
  });

  test('Trans messages keep their markup: the root-cause guide in Chinese with its bold words', async () => {
    await switchLanguage(appJson.id, 'zh-Hans', appZh);

    render(<RcaEmptyState onTryDemo={() => undefined} demoNamespace="shop" />);

    expect(screen.getByText('找出引发事件的源头')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /试用演示（shop，最近 30 分钟）/ })).toBeInTheDocument();
    const bold = screen.getAllByText((_, el) => el?.tagName === 'STRONG').map((el) => el.textContent);
    expect(bold).toEqual(['命名空间', '服务']);
  });

  test("an analysis's progress in Chinese punctuation around the engine's message", async () => {
    const job = { status: 'running', message: 'scoring services', progress: 0.5 };
    await switchLanguage(appJson.id, 'zh-Hans', appZh);
    // It read '运行中: scoring services (50%)'.
    expect(jobProgressText(job)).toBe('运行中：scoring services（50%）');
    await switchLanguage(appJson.id, 'en-US', {});
    expect(jobProgressText(job)).toBe('running: scoring services (50%)');
  });

  test('the datasource config editor renders in Chinese from its own namespace', async () => {
    await switchLanguage(datasourceJson.id, 'zh-Hans', datasourceZh);
    const props = {
      options: { jsonData: {}, secureJsonFields: {}, secureJsonData: {} },
      onOptionsChange: () => undefined,
    } as unknown as DataSourcePluginOptionsEditorProps<CloudOpsDataSourceOptions, CloudOpsSecureJsonData>;

    render(<ConfigEditor {...props} />);

    expect(screen.getByText('引擎地址')).toBeInTheDocument();
    expect(screen.getByText('引擎令牌')).toBeInTheDocument();
    expect(screen.getByText('默认命名空间')).toBeInTheDocument();
    expect(screen.queryByText('Engine URL')).not.toBeInTheDocument();
  });

  test('back in en-US the same page shows the source defaults', async () => {
    await switchLanguage(appJson.id, 'en-US', {});
    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/readyz`]: () => ({ status: 200, body: { ready: true, profile: 'demo', checks: [] } }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/clusters`]: () => ({ status: 200, body: { items: [] } }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/workloads`]: () => ({
          status: 200,
          body: { items: [workload('cart', 'healthy')] },
        }),
      })
    ).install();

    render(<OverviewPage />);

    await screen.findAllByTestId(testIds.overview.workloadRow);
    expect(screen.getByRole('heading', { name: 'Workloads' })).toBeInTheDocument();
    expect(screen.queryByText('工作负载')).not.toBeInTheDocument();
  });
});
