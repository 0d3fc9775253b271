import { describe, expect, it } from 'vitest';
import { NOW, node } from '../../../test/fixtures/repair/kubeObjects.js';
import { nodePressureDetector } from './nodePressureDetector.js';

describe('nodePressureDetector', () => {
  it('finds current memory and disk pressure on a Ready node', () => {
    const [finding] = nodePressureDetector.detect(
      { nodes: [node('worker-1', { pressure: ['MemoryPressure', 'DiskPressure'] }), node('worker-2')] },
      NOW,
    );
    expect(finding!.type).toBe('NodePressure');
    expect(finding!.object.name).toBe('worker-1');
    expect(finding!.details.pressures).toEqual(['MemoryPressure', 'DiskPressure']);
  });

  it('ignores cleared pressure and the Unknown conditions of a NotReady node', () => {
    expect(
      nodePressureDetector.detect({ nodes: [node('worker-1'), node('worker-2', { ready: 'Unknown' })] }, NOW),
    ).toHaveLength(0);
  });
});
