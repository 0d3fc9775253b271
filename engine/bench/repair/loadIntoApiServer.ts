import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { ApiServer } from '../../src/sim/apiserver/ApiServer.js';
import type { KubeObject } from '../../src/sim/apiserver/KubeObject.js';
import { apiVersionOf, resourceKey } from '../../src/sim/apiserver/ResourceType.js';

export interface LoadedCluster {
  server: ApiServer;
  kubeConfig: KubeConfig;
  loaded: number;
  /** Kinds the simulated API server does not serve (e.g. Namespaces' Lease objects it has no table for). */
  skipped: string[];
}

/**
 * Starts a bare simulated API server (no controllers: nothing changes the objects) and stores every document of a
 * `kubectl get -o yaml` dump as it is, status included. Objects go straight into the store, not through POST,
 * because create defaulting would reset their status; the store only assigns uids and resourceVersions.
 */
export async function loadIntoApiServer(yamlText: string): Promise<LoadedCluster> {
  const server = new ApiServer();
  const skipped: string[] = [];
  let loaded = 0;
  for (const doc of parseAllDocuments(yamlText)) {
    const value = doc.toJS() as (KubeObject & { items?: KubeObject[] }) | null;
    // `kubectl get -o yaml` of several objects prints one `kind: List`; a dump may hold either shape.
    const objs = value?.kind === 'List' ? (value.items ?? []) : value ? [value] : [];
    for (const obj of objs) {
      const type = server.registry.types.find(
        (t) => t.kind === obj.kind && apiVersionOf(t) === obj.apiVersion,
      );
      if (!type) {
        skipped.push(`${obj.apiVersion}/${obj.kind}`);
        continue;
      }
      try {
        server.store.create(resourceKey(type), obj);
        loaded++;
      } catch (error) {
        skipped.push(`${obj.kind}/${obj.metadata?.name} (${(error as Error).message})`);
      }
    }
  }
  const url = await server.listen(0, '127.0.0.1');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'triage', server: url, skipTLSVerify: true }],
    users: [{ name: 'triage' }],
    contexts: [{ name: 'triage', cluster: 'triage', user: 'triage' }],
    currentContext: 'triage',
  });
  return { server, kubeConfig, loaded, skipped };
}
