import { describe, expect, it } from 'vitest';
import { choiceReplySchema, parseModelReply, proposalReplySchema } from './parseModelReply.js';

describe('parseModelReply', () => {
  it('reads the JSON object inside a fenced reply and applies the catalog defaults', () => {
    const text = 'Sure.\n```json\n{"action":{"type":"raise-memory-limit"},"why":"OOM"}\n```';
    expect(parseModelReply(text, proposalReplySchema)).toEqual({
      ok: true,
      value: { action: { type: 'raise-memory-limit', params: { factor: 2 } }, why: 'OOM' },
    });
  });

  it('names the field a bounded parameter breaks', () => {
    const parsed = parseModelReply(
      '{"action":{"type":"raise-hpa-max","params":{"factor":1.5,"cap":9000}}}',
      proposalReplySchema,
    );
    expect(parsed).toEqual({ ok: false, reason: expect.stringMatching(/^action\.params\.cap: /) });
  });

  it('refuses broken JSON and replies without an object', () => {
    expect(parseModelReply('{"choice": 1,', choiceReplySchema)).toMatchObject({
      ok: false,
      reason: 'the reply holds no JSON object',
    });
    expect(parseModelReply('{"choice": 1,}', choiceReplySchema)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not valid JSON/),
    });
    expect(parseModelReply('{"choice": 0}', choiceReplySchema)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^choice: /),
    });
  });
});
