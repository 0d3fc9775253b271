import { describe, expect, it } from 'vitest';
import { ApiError } from './ApiError.js';
import { applyPatch, jsonPatch, mergePatch, strategicMergePatch } from './patch.js';

const deployment = () => ({
  metadata: { name: 'cart', labels: { app: 'cart', tier: 'backend' } },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: 'cart',
            image: 'cart:1',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 8080 }],
          },
          { name: 'sidecar', image: 'envoy:1' },
        ],
      },
    },
  },
});

describe('merge patch (RFC 7386)', () => {
  it('merges objects, deletes on null and replaces lists', () => {
    const result = mergePatch(deployment(), {
      metadata: { labels: { tier: null, canary: 'true' } },
      spec: { template: { spec: { containers: [{ name: 'cart', image: 'cart:2' }] } } },
    }) as ReturnType<typeof deployment>;
    expect(result.metadata.labels).toEqual({ app: 'cart', canary: 'true' });
    expect(result.spec.replicas).toBe(2);
    expect(result.spec.template.spec.containers).toEqual([{ name: 'cart', image: 'cart:2' }]);
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name and keeps the other containers', () => {
    const result = strategicMergePatch(deployment(), {
      spec: { template: { spec: { containers: [{ name: 'cart', image: 'cart:2' }] } } },
    }) as ReturnType<typeof deployment>;
    const [cart, sidecar] = result.spec.template.spec.containers;
    expect(cart).toMatchObject({ name: 'cart', image: 'cart:2', ports: [{ containerPort: 8080 }] });
    expect(cart!.env).toHaveLength(2);
    expect(sidecar).toEqual({ name: 'sidecar', image: 'envoy:1' });
  });

  it('merges env by name, appends new items and honours $patch: delete', () => {
    const result = strategicMergePatch(deployment(), {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'cart',
                env: [
                  { name: 'B', value: '3' },
                  { name: 'C', value: '4' },
                ],
              },
              { name: 'sidecar', $patch: 'delete' },
            ],
          },
        },
      },
    }) as ReturnType<typeof deployment>;
    expect(result.spec.template.spec.containers.map((c) => c.name)).toEqual(['cart']);
    expect(result.spec.template.spec.containers[0]!.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
  });

  it('ignores $setElementOrder directives kubectl sends', () => {
    const result = strategicMergePatch(deployment(), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'cart' }],
            containers: [{ name: 'cart', image: 'x' }],
          },
        },
      },
    }) as { spec: { template: { spec: Record<string, unknown> } } };
    expect(Object.keys(result.spec.template.spec)).toEqual(['containers']);
  });
});

describe('json patch (RFC 6902)', () => {
  it('applies add, replace, remove, move, copy and test', () => {
    const result = jsonPatch(deployment(), [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/metadata/labels/canary', value: 'true' },
      { op: 'remove', path: '/metadata/labels/tier' },
      { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'C', value: '3' } },
      { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/copied' },
      { op: 'move', from: '/metadata/labels/copied', path: '/metadata/labels/moved' },
    ]) as ReturnType<typeof deployment>;
    expect(result.spec.replicas).toBe(5);
    expect(result.metadata.labels).toEqual({ app: 'cart', canary: 'true', moved: 'cart' });
    expect(result.spec.template.spec.containers[0]!.env!.map((e) => e.name)).toEqual(['A', 'B', 'C']);
  });

  it('leaves the input untouched and fails a failed test with 422', () => {
    const input = deployment();
    const attempt = () =>
      jsonPatch(input, [
        { op: 'replace', path: '/spec/replicas', value: 9 },
        { op: 'test', path: '/spec/replicas', value: 1 },
      ]);
    expect(attempt).toThrow(ApiError);
    try {
      attempt();
    } catch (error) {
      expect((error as ApiError).code).toBe(422);
    }
    expect(input.spec.replicas).toBe(2);
  });

  it('rejects missing paths and non-array bodies', () => {
    expect(() => jsonPatch(deployment(), [{ op: 'remove', path: '/spec/nope' }])).toThrow(/does not exist/);
    expect(() => jsonPatch(deployment(), { op: 'add' })).toThrow(/array/);
    expect(() =>
      jsonPatch(deployment(), [{ op: 'replace', path: '/spec/template/spec/containers/7', value: {} }]),
    ).toThrow(/out of bounds/);
  });
});

describe('applyPatch', () => {
  it('dispatches on the content type and rejects unknown ones', () => {
    const merged = applyPatch(
      { a: { b: 1 } },
      { a: { c: 2 } },
      'application/merge-patch+json; charset=utf-8',
    );
    expect(merged).toEqual({ a: { b: 1, c: 2 } });
    expect(() => applyPatch({}, {}, 'application/json')).toThrow(ApiError);
  });
});
