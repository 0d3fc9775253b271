import { describe, expect, it } from 'vitest';
import { ApiError } from './ApiError.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';

const match = (selector: string, labels: Record<string, string>) =>
  matchesLabels(parseLabelSelector(selector), labels);

describe('label selectors', () => {
  const labels = { app: 'cart', tier: 'backend', 'app.kubernetes.io/part-of': 'shop' };

  it('supports equality, inequality and the double-equals form', () => {
    expect(match('app=cart', labels)).toBe(true);
    expect(match('app==cart', labels)).toBe(true);
    expect(match('app=frontend', labels)).toBe(false);
    expect(match('app!=frontend', labels)).toBe(true);
    expect(match('app!=cart', labels)).toBe(false);
    // != matches objects without the label, as in Kubernetes
    expect(match('missing!=x', labels)).toBe(true);
  });

  it('supports set-based in / notin with commas inside the parentheses', () => {
    expect(match('app in (cart, frontend)', labels)).toBe(true);
    expect(match('app in (frontend,ads)', labels)).toBe(false);
    expect(match('app notin (frontend,ads),tier=backend', labels)).toBe(true);
    expect(match('app notin (cart)', labels)).toBe(false);
  });

  it('supports exists and !exists on prefixed keys', () => {
    expect(match('app.kubernetes.io/part-of', labels)).toBe(true);
    expect(match('!app.kubernetes.io/part-of', labels)).toBe(false);
    expect(match('!canary', labels)).toBe(true);
    expect(match('canary', labels)).toBe(false);
  });

  it('requires every requirement', () => {
    expect(match('app=cart,tier=frontend', labels)).toBe(false);
    expect(match('', labels)).toBe(true);
  });

  it('rejects malformed selectors with a BadRequest', () => {
    expect(() => parseLabelSelector('app=(x')).toThrow(ApiError);
    expect(() => parseLabelSelector('bad key=x')).toThrow(/invalid label key/);
  });
});

describe('field selectors', () => {
  const getters = {
    'metadata.name': (o: { metadata: { name: string } }) => o.metadata.name,
    'status.phase': () => 'Running',
  };
  const obj = { metadata: { name: 'cart-1' } };

  it('matches = and != on supported fields', () => {
    const supported = new Set(Object.keys(getters));
    expect(matchesFields(parseFieldSelector('metadata.name=cart-1', supported), obj, getters as never)).toBe(
      true,
    );
    expect(matchesFields(parseFieldSelector('status.phase!=Running', supported), obj, getters as never)).toBe(
      false,
    );
    expect(
      matchesFields(
        parseFieldSelector('metadata.name==cart-1,status.phase=Running', supported),
        obj,
        getters as never,
      ),
    ).toBe(true);
  });

  it('rejects unsupported fields the way the API server does', () => {
    expect(() => parseFieldSelector('spec.foo=bar', new Set(['metadata.name']))).toThrow(
      'field label not supported: spec.foo',
    );
  });
});
