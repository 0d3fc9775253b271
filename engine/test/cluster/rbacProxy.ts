import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * RBAC in front of the simulated API server, which enforces none (engine/src/sim/apiserver/accessReview.ts): each
 * request is resolved to its verb, API group, resource and namespace as a real API server's authorizer does, checked
 * against PolicyRules, and either forwarded or refused with the 403 Status a real server sends. Every decision is
 * recorded, so a test can compare what the engine asked for with what the manifests grant.
 */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  /** Set for a Role (or a RoleBinding of a ClusterRole): the rule holds in this namespace only. */
  namespace?: string;
}

export interface Attributes {
  verb: string;
  group: string;
  /** With its subresource: `pods/log`, `deployments/scale`. */
  resource: string;
  namespace?: string;
  name?: string;
}

export interface Decision extends Attributes {
  allowed: boolean;
}

export const ENGINE_USER = 'system:serviceaccount:aicloudops:aicloudops-engine';

const VERB_BY_METHOD: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

/** The authorizer's attributes of a request, or undefined for a non-resource path (/version, discovery). */
export function attributesOf(method: string, url: URL): Attributes | undefined {
  const parts = url.pathname.split('/').filter(Boolean);
  let rest: string[];
  let group: string;
  if (parts[0] === 'api' && parts.length > 2) [group, rest] = ['', parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length > 3) [group, rest] = [parts[1]!, parts.slice(3)];
  else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) [namespace, rest] = [rest[1], rest.slice(2)];
  const [resource, name, subresource] = rest as [string, string?, string?];
  const watching = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  const verb =
    VERB_BY_METHOD[method] ??
    (method === 'DELETE'
      ? name
        ? 'delete'
        : 'deletecollection'
      : name
        ? 'get'
        : watching
          ? 'watch'
          : 'list');
  return {
    verb,
    group,
    resource: subresource ? `${resource}/${subresource}` : resource,
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
  };
}

export function allows(rules: PolicyRule[], a: Attributes): boolean {
  return rules.some(
    (r) =>
      (r.namespace === undefined || r.namespace === a.namespace) &&
      r.apiGroups.includes(a.group) &&
      r.resources.includes(a.resource) &&
      r.verbs.includes(a.verb),
  );
}

/** The body a real API server answers a denial with (k8s.io/apiserver's forbidden response). */
export function forbiddenStatus(a: Attributes): Record<string, unknown> {
  const [resource] = a.resource.split('/');
  const subject = a.name ? `${resource} "${a.name}"` : resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${subject} is forbidden: User "${ENGINE_USER}" cannot ${a.verb} resource "${a.resource}" in API group "${a.group}" ${scope}`,
    reason: 'Forbidden',
    details: { ...(a.name ? { name: a.name } : {}), group: a.group, kind: resource },
    code: 403,
  };
}

export class RbacProxy {
  readonly decisions: Decision[] = [];
  private server?: Server;

  constructor(
    private readonly upstream: string,
    public rules: PolicyRule[],
  ) {}

  async listen(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const attributes = attributesOf(req.method ?? 'GET', new URL(req.url ?? '/', 'http://proxy'));
    if (attributes) {
      const allowed = allows(this.rules, attributes);
      this.decisions.push({ ...attributes, allowed });
      if (!allowed) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify(forbiddenStatus(attributes)));
        return;
      }
    }
    const forward = request(
      new URL(req.url ?? '/', this.upstream),
      { method: req.method, headers: req.headers },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  }
}
