import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/index.js';

describe('aicloudops CLI', () => {
  it('doctor reports every source of the demo profile as ready, as JSON', async () => {
    const { code, stdout } = await runCliProcess(['doctor', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean }> };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['metrics', 'store', 'cluster:simulated']),
    );
  });

  it('doctor says which source is down and exits 1', async () => {
    const { code, stdout } = await runCliProcess(['doctor'], {
      AICLOUDOPS_METRICS__KIND: 'prometheus',
      AICLOUDOPS_METRICS__URL: 'http://127.0.0.1:9',
      AICLOUDOPS_METRICS__TIMEOUT_SECONDS: '2',
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ metrics\s+.*127\.0\.0\.1:9/);
  });

  it('fails at start naming the field when the config is invalid', async () => {
    const { code, stderr } = await runCliProcess(['doctor', '--profile', 'live']);
    expect(code).toBe(2);
    expect(stderr).toContain('INVALID_CONFIG');
    expect(stderr).toContain('metrics.url');
  });

  it('reads a YAML config file and reports a bad field in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aicloudops-cli-'));
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'server:\n  port: "not-a-port"\n');
    const { code, stderr } = await runCliProcess(['--config', path, 'doctor']);
    expect(code).toBe(2);
    expect(stderr).toContain(`config file ${path}`);
    expect(stderr).toContain('server.port');
  });

  it('--version prints the engine package version and exits 0', async () => {
    const { version } = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '..', '..', 'package.json'), 'utf8'),
    ) as {
      version: string;
    };
    const { code, stdout } = await runCliProcess(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });
});
