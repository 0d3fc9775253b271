import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../src/engine.js';
import { API_PREFIX } from '../../src/server/app.js';
import { startForecastApp } from '../support/index.js';

const OPERATOR = 'operator-token-0123456789';
const VIEWER = 'viewer-token-0123456789';
const ADMIN = 'admin-token-0123456789';
const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** The forecast routes on the real fastify app of a demo engine, called through app.inject with bearer tokens. */
describe('forecast routes', () => {
  let engine: Engine;
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ engine, app } = await startForecastApp([
      { name: 'op', token: OPERATOR, role: 'operator' },
      { name: 'view', token: VIEWER, role: 'viewer' },
      { name: 'admin', token: ADMIN, role: 'admin' },
    ]));
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  it('POST /forecast returns points with intervals and the model with its reason', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/forecast`,
      payload: { service: 'frontend', horizonMinutes: 15 },
      headers: as(VIEWER),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.points).toHaveLength(3);
    expect(body.model).toEqual(expect.any(String));
    expect(body.reason).toMatch(/validation MASE/);
  });

  it('rejects a bad body with 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/forecast`,
      payload: { service: 'frontend', horizonMinutes: 'soon' },
      headers: as(VIEWER),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBeDefined();
  });

  it('POST /forecast/train answers 202 with a job that finishes, then GET /forecast/models lists it', async () => {
    const denied = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/forecast/train`,
      payload: { service: 'frontend' },
      headers: as(VIEWER),
    });
    expect(denied.statusCode).toBe(403);
    const res = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/forecast/train`,
      payload: { service: 'frontend' },
      headers: as(OPERATOR),
    });
    expect(res.statusCode).toBe(202);
    const job = res.json();
    const done = await engine.context.jobs.wait(job.id);
    expect(done.status).toBe('succeeded');
    const models = await app.inject({
      method: 'GET',
      url: `${API_PREFIX}/forecast/models`,
      headers: as(VIEWER),
    });
    expect(models.json().items[0]).toMatchObject({ seriesKey: 'shop/frontend/request_rate' });
  }, 120_000);

  it('POST /scale-plan with mode apply needs the admin role, then the policy decides (off by default)', async () => {
    const payload = { workload: { name: 'frontend' }, capacityPerReplica: 20, mode: 'apply' };
    const operator = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/scale-plan`,
      payload,
      headers: as(OPERATOR),
    });
    expect(operator.statusCode).toBe(403);
    expect(operator.json().error).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('body.mode'),
    });
    const admin = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/scale-plan`,
      payload,
      headers: as(ADMIN),
    });
    expect(admin.statusCode).toBe(403);
    expect(admin.json().error.code).toBe('POLICY_DENIED');
    const plan = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/scale-plan`,
      payload: { ...payload, mode: 'recommend' },
      headers: as(OPERATOR),
    });
    expect(plan.statusCode).toBe(200);
  });
});
