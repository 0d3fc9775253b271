import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * `scale-plan -w nosuch` answered only `deployments.apps "nosuch" not found`; an unknown workload now names the field
 * and the workloads of that kind the namespace has, as an unknown RCA service does.
 */
const demo = demoAppPerFile();

describe('scale-plan for a workload that does not exist', () => {
  it('is a 404 naming body.workload.name with the known workloads of that kind', async () => {
    const res = await demo.app.inject({
      method: 'POST',
      url: '/api/v1/scale-plan',
      payload: { workload: { name: 'nosuch' } },
    });
    expect(res.statusCode).toBe(404);
    const { error } = res.json() as {
      error: { message: string; issues: Array<{ field: string; message: string }> };
    };
    expect(error.message).toBe('no Deployment nosuch in namespace shop');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.field).toBe('body.workload.name');
    expect(error.issues[0]!.message).toMatch(
      /^unknown Deployment in namespace shop; known: (.+, )?cart, .*frontend/,
    );
  }, 120_000);
});
