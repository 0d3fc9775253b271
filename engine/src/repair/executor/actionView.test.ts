import { describe, expect, it } from 'vitest';
import { diffObjects } from './diffObjects.js';
import { REDACTED_ENV_VALUE, redactDiff } from './actionView.js';

const template = (env: Array<{ name: string; value?: string }>, args: string[]) => ({
  spec: { template: { spec: { containers: [{ name: 'app', image: 'app:1', env, args }] } } },
});

describe('redactDiff', () => {
  it('masks env values that changed, were added or removed, keeps names, and redacts secrets in other strings', () => {
    const before = template(
      [
        { name: 'DB_PASSWORD', value: 'old-pw-1' },
        { name: 'MODE', value: 'a' },
      ],
      ['--db=postgres://u:argpw@db/x'],
    );
    const after = template(
      [
        { name: 'DB_PASSWORD', value: 'new-pw-2' },
        { name: 'MODE', value: 'b' },
        { name: 'API_TOKEN', value: 'tok-3' },
      ],
      ['--db=postgres://u:argpw2@db/x'],
    );
    const diff = diffObjects(before, after);
    const shown = JSON.stringify(redactDiff(diff));
    for (const secret of ['old-pw-1', 'new-pw-2', 'tok-3', 'argpw', 'argpw2'])
      expect(shown).not.toContain(secret);
    expect(redactDiff(diff)).toContainEqual({
      path: '/spec/template/spec/containers/0/env/0/value',
      before: REDACTED_ENV_VALUE,
      after: REDACTED_ENV_VALUE,
    });
    expect(shown).toContain('API_TOKEN');
    // The diff the executor keeps is unchanged.
    expect(JSON.stringify(diff)).toContain('new-pw-2');
  });

  it('masks env lists inside a larger changed value (a container added whole)', () => {
    const diff = [
      {
        path: '/spec/template/spec/containers/1',
        after: { name: 'side', env: [{ name: 'K', value: 'sidecar-pw' }] },
      },
    ];
    expect(redactDiff(diff)).toEqual([
      {
        path: '/spec/template/spec/containers/1',
        after: { name: 'side', env: [{ name: 'K', value: REDACTED_ENV_VALUE }] },
      },
    ]);
  });
});
