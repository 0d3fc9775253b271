import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { config } from '@grafana/runtime';
import { OrgRole } from '@grafana/data';
import { RepairsPage } from './RepairsPage';
import { testIds } from '../components/testIds';
import { ENGINE_ADMIN_PROXY_URL, ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, routes, type Handler, type HandlerReply, type RecordedRequest } from '../test/FakeBackendSrv';
import { auditRecord, finding, pendingAction } from '../test/opsFixtures';
import type { RepairActionDto } from '../api/types';
import appJson from '../plugin.json';
import appZh from '../locales/zh-Hans/aicloudops-cloudops-app.json';
import { resetTranslations, switchLanguage } from '../locales/testTranslations';

const E = ENGINE_PROXY_URL;
const verified = { ok: true, records: 3, headHash: 'abcdef0123456789' };

function repairEngine(overrides: Record<string, (r: RecordedRequest) => HandlerReply> = {}): Handler {
  let pending: RepairActionDto[] = [pendingAction('a1', 'cart')];
  return routes({
    [`GET ${E}/api/v1/repair/kill-switch`]: () => ({ status: 200, body: { on: false, source: 'off' } }),
    [`GET ${E}/api/v1/repair/findings`]: () => ({
      status: 200,
      body: { at: '2026-12-06T10:06:00Z', findings: [finding('CrashLoopBackOff', 'checkout')] },
    }),
    [`GET ${E}/api/v1/repair/approvals`]: () => ({ status: 200, body: { items: pending } }),
    [`GET ${E}/api/v1/repair/audit`]: () => ({
      status: 200,
      body: {
        items: [
          auditRecord(1, 'finding'),
          auditRecord(2, 'dry-run'),
          auditRecord(3, 'approval-requested', ACTION_UUID),
        ],
      },
    }),
    [`GET ${E}/api/v1/repair/audit/verify`]: () => ({ status: 200, body: verified }),
    [`POST ${ENGINE_ADMIN_PROXY_URL}/api/v1/repair/approvals/a1/approve`]: () => {
      const decided = { ...pending[0]!, state: 'approved' };
      pending = [];
      return { status: 200, body: decided };
    },
    ...overrides,
  });
}

const ACTION_UUID = 'acf86602-d776-4645-8f0d-c8b414a90c25';

const setRole = (role: OrgRole) => {
  config.bootData.user.orgRole = role;
};

describe('RepairsPage', () => {
  afterEach(() => setRole(OrgRole.Admin));

  test('shows findings with their evidence, the pending approval with its dry-run diff, and the verified audit log', async () => {
    setRole(OrgRole.Admin);
    const srv = new FakeBackendSrv(repairEngine()).install();
    render(<RepairsPage />);

    const [row] = await screen.findAllByTestId(testIds.repairs.finding);
    expect(within(row!).getByText('CrashLoopBackOff')).toBeInTheDocument();
    expect(within(row!).getByText('Pod/shop/checkout-7d9f8-0')).toBeInTheDocument();
    // The loudest event and the last log line make the evidence summary.
    expect(
      within(row!).getByText(
        'checkout restarts in a loop | waiting: CrashLoopBackOff | BackOff x12: Back-off restarting failed container | panic: connection refused'
      )
    ).toBeInTheDocument();

    const approval = await screen.findByTestId(testIds.repairs.approval);
    expect(within(approval).getByText('raise-memory-limit')).toBeInTheDocument();
    expect(within(approval).getByText('Deployment/shop/cart')).toBeInTheDocument();
    expect(within(approval).getByText('passed')).toBeInTheDocument();
    const diff = within(approval).getByTestId(testIds.repairs.diffEntry);
    expect(within(diff).getByText('256Mi')).toBeInTheDocument();
    expect(within(diff).getByText('384Mi')).toBeInTheDocument();
    // Before and after are named by their column, not told apart by colour alone.
    expect(
      within(approval)
        .getAllByRole('columnheader')
        .map((h) => h.textContent)
    ).toEqual(['Field', 'Before', 'After']);

    const records = await screen.findAllByTestId(testIds.repairs.auditRecord);
    // The engine's audit kinds in words, and the action's UUID cut to 8 characters with the whole id on hover.
    expect(records.map((r) => within(r).getAllByRole('cell')[2]!.textContent)).toEqual([
      'approval requested',
      'dry run',
      'finding',
    ]);
    const actionCell = within(records[0]!).getAllByRole('cell')[5]!;
    expect(actionCell).toHaveTextContent(/^acf86602$/);
    expect(actionCell).toHaveAttribute('title', ACTION_UUID);
    expect(screen.getByTestId(testIds.repairs.auditVerify)).toHaveTextContent(
      'chain verified3 records re-hashed, head abcdef012345'
    );
    expect(screen.getByTestId(testIds.repairs.killSwitch)).toHaveTextContent('off: rules may act');
    expect(srv.requests.find((r) => r.path.endsWith('/repair/findings'))!.query.get('namespace')).toBe('shop');
  });

  test('times read as how long ago with the UTC time named on hover, and the audit log in UTC, named', async () => {
    new FakeBackendSrv(
      repairEngine({
        [`GET ${E}/api/v1/repair/kill-switch`]: () => ({
          status: 200,
          body: { on: true, source: 'api', by: 'admin-user', at: '2026-12-06T10:07:00Z' },
        }),
      })
    ).install();
    render(<RepairsPage />);
    const [finding] = await screen.findAllByTestId(testIds.repairs.finding);
    const since = within(finding!).getAllByRole('cell')[2]!;
    expect(since).toHaveTextContent(/ ago$/);
    expect(since).toHaveAttribute('title', '2026-12-06 10:00:00 UTC');
    expect(await screen.findByText(/^set by admin-user .* ago$/)).toHaveAttribute('title', '2026-12-06 10:07:00 UTC');
    const records = await screen.findAllByTestId(testIds.repairs.auditRecord);
    expect(within(records[0]!).getAllByRole('cell')[1]).toHaveTextContent('2026-12-06 10:03:00 UTC');
  });

  describe.each([
    [
      'en-US',
      {},
      '25 minutes ago',
      'set by admin-user 3 hours ago',
      'expires in 2 hours',
      'OOMKilled 3 times in 10 minutes (rule oom-raise-memory v1)',
    ],
    // Each time in Chinese where the Chinese sentence puts it, not 'set by' + ' 3 hours ago' glued on; the rule in
    // full-width brackets (it was '(规则 oom-raise-memory 第 1 版)').
    [
      'zh-Hans',
      appZh,
      '25分钟前',
      '3小时前由 admin-user 设置',
      '2小时后过期',
      'OOMKilled 3 times in 10 minutes（规则 oom-raise-memory 第 1 版）',
    ],
  ])('in %s', (language, catalog, since, setBy, expires, rule) => {
    afterEach(() => resetTranslations());

    test("a finding's Since, who set the kill switch when, when an approval expires and its rule", async () => {
      await switchLanguage(appJson.id, language, catalog);
      const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
      const waiting = pendingAction('a1', 'cart');
      waiting.approval = { ...waiting.approval!, expiresAt: ago(-2 * 60) };
      new FakeBackendSrv(
        repairEngine({
          [`GET ${E}/api/v1/repair/kill-switch`]: () => ({
            status: 200,
            body: { on: true, source: 'api', by: 'admin-user', at: ago(3 * 60) },
          }),
          [`GET ${E}/api/v1/repair/findings`]: () => ({
            status: 200,
            body: { at: ago(1), findings: [{ ...finding('CrashLoopBackOff', 'checkout'), since: ago(25) }] },
          }),
          [`GET ${E}/api/v1/repair/approvals`]: () => ({ status: 200, body: { items: [waiting] } }),
        })
      ).install();
      render(<RepairsPage />);

      const [row] = await screen.findAllByTestId(testIds.repairs.finding);
      expect(within(row!).getAllByRole('cell')[2]).toHaveTextContent(new RegExp(`^${since}$`));
      expect(await screen.findByText(setBy)).toBeInTheDocument();
      const approval = await screen.findByTestId(testIds.repairs.approval);
      expect(within(approval).getByText(expires)).toBeInTheDocument();
      expect(
        within(approval).getByText((_, el) => el?.textContent === rule && el.tagName === 'DIV')
      ).toBeInTheDocument();
    });
  });

  test('an Admin approves through the admin route with a comment, and the approval leaves the list', async () => {
    setRole(OrgRole.Admin);
    const srv = new FakeBackendSrv(repairEngine()).install();
    render(<RepairsPage />);

    const approval = await screen.findByTestId(testIds.repairs.approval);
    await userEvent.type(within(approval).getByTestId(testIds.repairs.comment), 'checked the diff');
    await userEvent.click(within(approval).getByTestId(testIds.repairs.approve));

    await waitFor(() => expect(screen.queryByTestId(testIds.repairs.approval)).not.toBeInTheDocument());
    const approve = srv.requests.find((r) => r.method === 'POST')!;
    expect(approve.path).toBe(`${ENGINE_ADMIN_PROXY_URL}/api/v1/repair/approvals/a1/approve`);
    expect(approve.data).toEqual({ comment: 'checked the diff' });
    expect(within(screen.getByTestId(testIds.repairs.approvals)).getByTestId(testIds.repairs.empty)).toHaveTextContent(
      /No action waits for approval/
    );
  });

  test('a Viewer sees the approval but cannot decide or flip the kill switch', async () => {
    setRole(OrgRole.Viewer);
    const srv = new FakeBackendSrv(repairEngine()).install();
    render(<RepairsPage />);

    const approval = await screen.findByTestId(testIds.repairs.approval);
    // Grafana's Button with a tooltip stays focusable (aria-disabled) so the tooltip can say why.
    expect(within(approval).getByTestId(testIds.repairs.approve)).toHaveAttribute('aria-disabled', 'true');
    expect(within(approval).getByTestId(testIds.repairs.reject)).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(within(approval).getByTestId(testIds.repairs.approve));
    expect(srv.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    await screen.findByText('off: rules may act');
    expect(screen.queryByTestId(testIds.repairs.killSwitchToggle)).not.toBeInTheDocument();
  });

  test('a refused decision is shown with the engine error, and the approval stays', async () => {
    setRole(OrgRole.Admin);
    new FakeBackendSrv(
      repairEngine({
        [`POST ${ENGINE_ADMIN_PROXY_URL}/api/v1/repair/approvals/a1/reject`]: () => ({
          status: 409,
          body: { error: { code: 'CONFLICT', message: 'approval a1 expired' } },
        }),
      })
    ).install();
    render(<RepairsPage />);

    const approval = await screen.findByTestId(testIds.repairs.approval);
    await userEvent.click(within(approval).getByTestId(testIds.repairs.reject));
    expect(await within(approval).findByText(/CONFLICT: approval a1 expired/)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.repairs.approval)).toBeInTheDocument();
  });

  test('an Admin turns the kill switch on through the admin route', async () => {
    setRole(OrgRole.Admin);
    let on = false;
    const srv = new FakeBackendSrv(
      repairEngine({
        [`GET ${E}/api/v1/repair/kill-switch`]: () => ({
          status: 200,
          body: on ? { on, source: 'api', by: 'admin-user', at: new Date().toISOString() } : { on, source: 'off' },
        }),
        [`PUT ${ENGINE_ADMIN_PROXY_URL}/api/v1/repair/kill-switch`]: (r) => {
          on = (r.data as { on: boolean }).on;
          return { status: 200, body: { on, source: 'api', by: 'admin-user' } };
        },
      })
    ).install();
    render(<RepairsPage />);

    await userEvent.click(await screen.findByTestId(testIds.repairs.killSwitchToggle));
    expect(await screen.findByText('ON: no action is taken')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.repairs.killSwitch)).toHaveTextContent(/set by admin-user/);
    expect(srv.requests.find((r) => r.method === 'PUT')!.data).toEqual({ on: true });
  });

  test('guides when nothing is found, nothing waits and the audit chain is broken', async () => {
    setRole(OrgRole.Admin);
    new FakeBackendSrv(
      repairEngine({
        [`GET ${E}/api/v1/repair/findings`]: () => ({
          status: 200,
          body: { at: '2026-12-06T10:06:00Z', findings: [] },
        }),
        [`GET ${E}/api/v1/repair/approvals`]: () => ({ status: 200, body: { items: [] } }),
        [`GET ${E}/api/v1/repair/audit`]: () => ({ status: 200, body: { items: [] } }),
        [`GET ${E}/api/v1/repair/audit/verify`]: () => ({
          status: 200,
          body: { ok: false, records: 7, headHash: 'x', brokenAt: { seq: 4, reason: 'hash mismatch' } },
        }),
      })
    ).install();
    render(<RepairsPage />);

    const findings = await screen.findByTestId(testIds.repairs.findings);
    expect(await within(findings).findByText(/Nothing wrong in shop/)).toBeInTheDocument();
    expect(await screen.findByText(/repair.maxMode: recommend/)).toBeInTheDocument();
    expect(await screen.findByText('chain broken at record 4')).toBeInTheDocument();
    expect(screen.getByText('hash mismatch')).toBeInTheDocument();
    expect(screen.getByText(/No audit records yet/)).toBeInTheDocument();
  });

  test('the engine down is one error with one Retry, which reads every section again', async () => {
    setRole(OrgRole.Admin);
    let down = true;
    const up = repairEngine();
    // Grafana's plugin proxy while the engine is stopped: 502 with no body, on every route.
    const srv = new FakeBackendSrv((r) => (down ? { status: 502 } : up(r))).install();
    render(<RepairsPage />);

    const alert = await screen.findByTestId(testIds.repairs.error);
    expect(alert).toHaveTextContent('Cannot read repairs from the engine');
    expect(alert).toHaveTextContent('Grafana could not reach the engine (HTTP 502)');
    // Every read has failed by now, and still one alert and one Retry (before: one of each per section, four).
    await waitFor(() =>
      expect(srv.requests.filter((r) => r.path.includes('/repair/')).length).toBeGreaterThanOrEqual(5)
    );
    expect(screen.getAllByTestId(testIds.repairs.error)).toHaveLength(1);
    expect(screen.getAllByTestId(testIds.engineError.retry)).toHaveLength(1);

    down = false;
    const before = srv.requests.length;
    await userEvent.click(screen.getByTestId(testIds.engineError.retry));
    expect(await screen.findByText('CrashLoopBackOff')).toBeInTheDocument();
    expect(await screen.findByTestId(testIds.repairs.approval)).toBeInTheDocument();
    expect(await screen.findByText('off: rules may act')).toBeInTheDocument();
    expect(await screen.findByTestId(testIds.repairs.auditVerify)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.repairs.error)).not.toBeInTheDocument();
    const retried = srv.requests.slice(before).map((r) => r.path.replace(/.*\/api\/v1\/repair\//, ''));
    expect(new Set(retried)).toEqual(new Set(['kill-switch', 'findings', 'approvals', 'audit', 'audit/verify']));
  });

  test('one read failing alone keeps its error in its section', async () => {
    setRole(OrgRole.Admin);
    new FakeBackendSrv(
      repairEngine({
        [`GET ${E}/api/v1/repair/approvals`]: () => ({
          status: 500,
          body: { error: { code: 'INTERNAL', message: 'approvals store failed' } },
        }),
      })
    ).install();
    render(<RepairsPage />);

    const approvals = await screen.findByTestId(testIds.repairs.approvals);
    expect(await within(approvals).findByText('Cannot list approvals')).toBeInTheDocument();
    expect(await screen.findByText('CrashLoopBackOff')).toBeInTheDocument();
    expect(screen.getAllByTestId(testIds.repairs.error)).toHaveLength(1);
  });

  test('explains what repair needs when the engine cannot act on its cluster', async () => {
    const unavailable = () => ({
      status: 503,
      body: { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'repair is not available: no write access' } },
    });
    new FakeBackendSrv(
      routes({
        [`GET ${E}/api/v1/repair/kill-switch`]: unavailable,
        [`GET ${E}/api/v1/repair/findings`]: unavailable,
        [`GET ${E}/api/v1/repair/approvals`]: unavailable,
        [`GET ${E}/api/v1/repair/audit`]: unavailable,
        [`GET ${E}/api/v1/repair/audit/verify`]: unavailable,
      })
    ).install();
    render(<RepairsPage />);

    expect(await screen.findByText('Repair is not available on this engine')).toBeInTheDocument();
    expect(screen.getByText('repair is not available: no write access')).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.repairs.approvals)).not.toBeInTheDocument();
  });
});
