import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * Every label map the API takes holds one rule (core's labelMapSchema): an RCA request's alert took control characters
 * in label values while the alert ingest refused them, though both are the same Alertmanager alert.
 */
const demo = demoAppPerFile();

// CSI (`\x9b`) is ESC `[` in one byte: a terminal printing the label would clear its screen on `\x9b2J`.
const CSI = 'a\u009b2Jb';

const rca = (labels: Record<string, string>) =>
  demo.app.inject({
    method: 'POST',
    url: '/api/v1/rca',
    payload: { namespace: 'shop', alert: { labels: { alertname: 'HighLatency', ...labels } } },
  });
const issues = (answer: { json(): unknown }) =>
  (answer.json() as { error: { issues: Array<{ field: string; message: string }> } }).error.issues;

describe('label maps of the API', () => {
  it('refuse a control character in an RCA alert label value, naming the label', async () => {
    const answer = await rca({ service: CSI });
    expect(answer.statusCode).toBe(400);
    expect(issues(answer)).toEqual([
      { field: 'body.alert.labels.service', message: 'must not contain control characters' },
    ]);
    const bell = await rca({ service: 'checkout', note: 'ring\u0007' });
    expect(issues(bell)).toEqual([
      { field: 'body.alert.labels.note', message: 'must not contain control characters' },
    ]);
  });

  it('refuse a control character in an RCA alert label name, naming the label escaped as the CLI prints it', async () => {
    const answer = await rca({ service: 'checkout', [`ser${CSI}vice`]: 'x' });
    expect(answer.statusCode).toBe(400);
    // The name is echoed with `\x9b` written out: the error's field and message reach terminals and logs.
    expect(issues(answer)).toEqual([
      {
        field: 'body.alert.labels.sera\\x9b2Jbvice',
        message: expect.stringContaining('must be a label name'),
      },
    ]);
    expect(answer.body).not.toContain('\u009b');
  });

  it('take normal labels, printable non-ASCII values and empty ones too', async () => {
    const answer = await rca({ service: 'checkout', summary: 'p99 über 2 s 🙂', team: '' });
    expect(answer.statusCode).toBe(202);
  });

  it('are the rule the alert ingest skips by: the same label, the same message', async () => {
    const answer = await demo.app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      payload: { alerts: [{ labels: { alertname: 'HighLatency', service: CSI } }] },
    });
    expect(answer.statusCode).toBe(200);
    expect((answer.json() as { skipped: Array<{ issues: unknown }> }).skipped[0]!.issues).toEqual([
      { field: 'body.alerts.0.labels.service', message: 'must not contain control characters' },
    ]);
    const badName = await demo.app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      payload: { alerts: [{ labels: { alertname: 'HighLatency', [`ser${CSI}vice`]: 'x' } }] },
    });
    expect((badName.json() as { skipped: Array<{ issues: unknown }> }).skipped[0]!.issues).toEqual([
      {
        field: 'body.alerts.0.labels.sera\\x9b2Jbvice',
        message: expect.stringContaining('must be a label name'),
      },
    ]);
  });
});
