import { describe, expect, it } from 'vitest';
import type { PodInfo } from '../../sources/cluster/ClusterSource.js';
import { podsForLogs } from './collectCluster.js';

function pod(name: string, troubled = false): PodInfo {
  return {
    namespace: 'shop',
    name,
    labels: {},
    phase: 'Running',
    ready: !troubled,
    restarts: troubled ? 4 : 0,
    containers: [
      {
        name: 'app',
        image: 'app:1',
        ready: !troubled,
        restartCount: troubled ? 4 : 0,
        state: troubled ? 'waiting' : 'running',
        reason: troubled ? 'CrashLoopBackOff' : undefined,
      },
    ],
    conditions: [],
  };
}

// 20 services x 10 replicas, as `<service>-<hash>-<n>` names.
const services = Array.from({ length: 20 }, (_, i) => `svc${String(i).padStart(2, '0')}`);
const serviceOf = (name: string) => name.split('-')[0]!;
const replicas = (service: string) => Array.from({ length: 10 }, (_, r) => pod(`${service}-7d9f-${r}`));

describe('the pods whose logs an RCA reads', () => {
  it('hears every service before a second replica of any, when the limit is below the pod count', () => {
    const chosen = podsForLogs(services.flatMap(replicas), serviceOf, 50);
    expect(chosen).toHaveLength(50);
    expect(new Set(chosen.map((p) => serviceOf(p.name))).size).toBe(20);
    // Name order alone took the first five services' ten replicas each.
    const perService = services.map((s) => chosen.filter((p) => serviceOf(p.name) === s).length);
    expect(Math.max(...perService) - Math.min(...perService)).toBeLessThanOrEqual(1);
  });

  it('takes a crash-looping pod first, whatever its name', () => {
    const pods = [...services.flatMap(replicas), pod('svc19-7d9f-crash', true)];
    const chosen = podsForLogs(pods, serviceOf, 5);
    expect(chosen[0]!.name).toBe('svc19-7d9f-crash');
    expect(chosen.map((p) => serviceOf(p.name))).toEqual(['svc19', 'svc00', 'svc01', 'svc02', 'svc03']);
  });

  it('reads every pod, each once, when they are within the limit', () => {
    const pods = [...replicas('a'), pod('b-1', true), ...replicas('c')];
    const chosen = podsForLogs(pods, serviceOf, 100);
    expect(chosen).toHaveLength(pods.length);
    expect(new Set(chosen).size).toBe(pods.length);
  });
});
