import { describe, expect, it } from 'vitest';
import { alertLabelsSchema, labelsWithinLimits } from '../alerts/schemas.js';
import { fieldIssuesFromZod } from '../errors.js';
import { rcaRequestSchema } from '../rca/schemas.js';
import { CONTROL_CHARACTERS, clusterQuerySchema, nameSchema } from './core.js';

/** Fields named as the routes name them (errorHandler: `query.`, `body.` + the zod path). */
function refusedFields(
  result: { success: boolean; error?: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } },
  prefix: string,
) {
  expect(result.success).toBe(false);
  return fieldIssuesFromZod(result.error!.issues, prefix);
}

describe('control characters: one definition, C0, DEL and C1', () => {
  // CSI (`\x9b`) is ESC `[` in one byte: terminals that honour C1 clear the screen on `\x9b2J`.
  const CSI = 'a\u009b2Jb';

  it('refuses a C1 control in a core-validated name, naming the field', () => {
    expect(nameSchema().safeParse(CSI).success).toBe(false);
    expect(refusedFields(clusterQuerySchema.safeParse({ cluster: CSI }), 'query')).toEqual([
      { field: 'query.cluster', message: 'must not contain control characters' },
    ]);
    expect(
      refusedFields(rcaRequestSchema.safeParse({ target: { service: CSI } }), 'body').map((i) => i.field),
    ).toEqual(['body.target.service']);
  });

  it('refuses it in an alert label value through the same definition, the fast path agreeing', () => {
    expect(refusedFields(alertLabelsSchema.safeParse({ alertname: 'Csi', note: CSI }), 'labels')).toEqual([
      { field: 'labels.note', message: 'must not contain control characters' },
    ]);
    expect(labelsWithinLimits({ alertname: 'Csi', note: CSI })).toBe(false);
  });

  it('covers C0, DEL and C1, and nothing printable', () => {
    for (const code of [0x00, 0x07, 0x1b, 0x1f, 0x7f, 0x80, 0x9b, 0x9f])
      expect(CONTROL_CHARACTERS.test(String.fromCharCode(code)), code.toString(16)).toBe(true);
    for (const text of [' ', '~', '\u00a0', 'é', '日本', '🙂'])
      expect(CONTROL_CHARACTERS.test(text), text).toBe(false);
    expect(nameSchema().safeParse('checkout-é').success).toBe(true);
    expect(alertLabelsSchema.safeParse({ alertname: 'Fine', note: '' }).success).toBe(true);
  });
});
