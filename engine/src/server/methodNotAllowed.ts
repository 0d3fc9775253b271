import type { RouteOptions } from 'fastify';

/**
 * The methods each registered path answers, so a request that reached no route can be told apart: a path that exists
 * under other methods is a 405 with `Allow` (RFC 9110 §15.5.6), an unknown path a 404. fastify's router finds routes
 * by method first and offers no public lookup of a concrete URL across methods (`hasRoute`/`findRoute` take the
 * route's pattern), so the table keeps each pattern as a regular expression, fed by the `onRoute` hook.
 */
export class RouteTable {
  private readonly routes: Array<{ pattern: RegExp; methods: readonly string[] }> = [];

  /** The `onRoute` hook: wildcard routes answer any path and so say nothing about which methods a path has. */
  readonly add = (route: RouteOptions): void => {
    if (route.url.includes('*')) return;
    const methods = ([] as string[]).concat(route.method);
    this.routes.push({ pattern: patternOf(route.url), methods });
  };

  /** The methods other routes give this path (HEAD with GET, as fastify exposes it), sorted; empty if none. */
  allowedMethods(url: string): string[] {
    const path = url.split('?', 1)[0]!;
    const methods = new Set<string>();
    for (const route of this.routes)
      if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

/** `/jobs/:id` → `^/jobs/[^/]+$`; a parameter's own regular expression (`:id(^\\d+$)`) is kept without anchors. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      const param = /^:\w+(?:\((.*)\))?$/.exec(segment);
      if (!param) return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      return param[1] ? `(?:${param[1].replace(/^\^|\$$/g, '')})` : '[^/]+';
    })
    .join('/');
  return new RegExp(`^${source}$`);
}
