import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { EngineConfig } from '../../config/schema.js';
import { EngineError } from '../../errors.js';
import type { ClusterRegistry, ClusterSource } from './ClusterSource.js';
import { KubernetesClusterSource } from './KubernetesClusterSource.js';

export type KubernetesClusterConfig = Extract<EngineConfig['cluster'], { kind: 'kubernetes' }>;

export interface KubeConfigEnvironment {
  env?: NodeJS.ProcessEnv;
  /** Home directory for `~/.kube/config`; defaults to os.homedir(). */
  home?: string;
}

const IN_CLUSTER = 'in-cluster';

/**
 * Finds the kubeconfig the way kubectl does: `cluster.kubeconfig`, then $KUBECONFIG (several files merged), then
 * ~/.kube/config, then the in-cluster service account when running in a pod.
 */
export function loadKubeConfig(
  config: KubernetesClusterConfig,
  environment: KubeConfigEnvironment = {},
): KubeConfig {
  const env = environment.env ?? process.env;
  const kc = new KubeConfig();
  const fail = (field: string, message: string, cause?: unknown) =>
    new EngineError('INVALID_CONFIG', `${field}: ${message}`, { issues: [{ field, message }], cause });
  if (config.inCluster) {
    if (!env['KUBERNETES_SERVICE_HOST']) {
      throw fail('cluster.inCluster', 'not running inside a pod (KUBERNETES_SERVICE_HOST is not set)');
    }
    try {
      kc.loadFromCluster();
    } catch (error) {
      throw fail('cluster.inCluster', `cannot read the service account: ${(error as Error).message}`, error);
    }
    return kc;
  }
  const files = config.kubeconfig
    ? [config.kubeconfig]
    : env['KUBECONFIG']
      ? env['KUBECONFIG'].split(delimiter).filter(Boolean)
      : [join(environment.home ?? homedir(), '.kube', 'config')].filter(existsSync);
  const field = config.kubeconfig ? 'cluster.kubeconfig' : 'KUBECONFIG';
  if (files.length === 0) {
    if (env['KUBERNETES_SERVICE_HOST']) {
      kc.loadFromCluster();
      return kc;
    }
    throw fail(
      'cluster.kubeconfig',
      'no kubeconfig found: set cluster.kubeconfig or $KUBECONFIG, or cluster.inCluster when running in a pod',
    );
  }
  files.forEach((file, i) => {
    if (!existsSync(file)) throw fail(field, `kubeconfig file ${file} does not exist`);
    try {
      if (i === 0) {
        kc.loadFromFile(file);
      } else {
        const more = new KubeConfig();
        more.loadFromFile(file);
        kc.mergeConfig(more);
      }
    } catch (error) {
      throw fail(field, `cannot read kubeconfig ${file}: ${(error as Error).message}`, error);
    }
  });
  return kc;
}

/** One KubeConfig per context, sharing clusters and users. */
function forContext(kc: KubeConfig, context: string): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kc.clusters,
    users: kc.users,
    contexts: kc.contexts,
    currentContext: context,
  });
  return copy;
}

/** Named clusters (kubeconfig contexts); the first is the default. */
export class KubernetesClusterRegistry implements ClusterRegistry {
  private readonly sources = new Map<string, ClusterSource>();

  constructor(sources: ClusterSource[]) {
    if (sources.length === 0)
      throw new EngineError('INVALID_CONFIG', 'no cluster configured', {
        issues: [{ field: 'cluster', message: 'no cluster configured' }],
      });
    for (const source of sources) this.sources.set(source.name, source);
  }

  static fromConfig(
    config: KubernetesClusterConfig,
    environment: KubeConfigEnvironment = {},
  ): KubernetesClusterRegistry {
    const kc = loadKubeConfig(config, environment);
    const options = { namespaces: config.namespaces };
    if (config.inCluster)
      return new KubernetesClusterRegistry([new KubernetesClusterSource(IN_CLUSTER, kc, options)]);
    const known = kc.getContexts().map((c) => c.name);
    const wanted = config.contexts.length > 0 ? config.contexts : [kc.getCurrentContext()].filter(Boolean);
    if (wanted.length === 0) {
      throw new EngineError(
        'INVALID_CONFIG',
        'the kubeconfig has no current context; name one in cluster.contexts',
        {
          issues: [
            {
              field: 'cluster.contexts',
              message: `set one of: ${known.join(', ') || '(none in kubeconfig)'}`,
            },
          ],
        },
      );
    }
    const unknown = wanted.filter((c) => !known.includes(c));
    if (unknown.length > 0) {
      throw new EngineError('INVALID_CONFIG', `unknown kubeconfig context(s): ${unknown.join(', ')}`, {
        issues: unknown.map((c) => ({
          field: `cluster.contexts`,
          message: `context "${c}" is not in the kubeconfig (known: ${known.join(', ') || 'none'})`,
        })),
      });
    }
    return new KubernetesClusterRegistry(
      wanted.map((context) => new KubernetesClusterSource(context, forContext(kc, context), options)),
    );
  }

  names(): string[] {
    return [...this.sources.keys()];
  }

  get(name?: string): ClusterSource {
    const key = name ?? this.names()[0]!;
    const source = this.sources.get(key);
    if (!source) {
      throw new EngineError('NOT_FOUND', `unknown cluster "${key}"; configured: ${this.names().join(', ')}`, {
        issues: [{ field: 'cluster', message: `must be one of ${this.names().join(', ')}` }],
      });
    }
    return source;
  }
}
