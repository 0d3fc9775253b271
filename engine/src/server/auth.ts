import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { EngineConfig, Role, TokenScope } from '../config/schema.js';
import { EngineError } from '../errors.js';
import { STATE_CHANGING } from './strictRequests.js';

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may do what `needed` may (viewer < operator < admin). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export interface Principal {
  name: string;
  role: Role;
  /** A scoped token's scopes (server.auth.tokens[].scopes): it may call only routes of one of them. */
  scopes?: readonly TokenScope[];
  /** When the principal is a user named by a trusted front-end (USER_HEADER): that front-end's token name. */
  token?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role a caller needs; routes under /api/v1 default to viewer. */
    minRole?: Role;
    /** The scope that lets a scoped token call this route; routes without one refuse scoped tokens. */
    scope?: TokenScope;
    /** Probes and the OpenAPI document are open. */
    public?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface AuthOptions {
  enabled: boolean;
  tokens: Array<{
    name: string;
    token: string;
    role: Role;
    scopes?: readonly TokenScope[] | undefined;
    actsForUsers?: boolean | undefined;
  }>;
  allowAnonymous?: boolean;
  /** The listen address (server.host): with auth off on loopback, requests must name the engine by a loopback host. */
  listenHost?: string;
  /** server.allowedHosts: lower-case names, without a trailing dot; `.example.com` allows its subdomains too. */
  allowedHosts?: readonly string[];
}

/**
 * DNS rebinding: a web page re-resolves its own name to the engine's address and then calls the engine same-origin,
 * with `Host: evil.example`. Refused here:
 * - with `server.allowedHosts` set (auth on or off): every Host but those names, loopback names and IP addresses. An
 *   IP address cannot be rebound (the page's origin would be that address), and kubelet probes send the pod's IP, so
 *   IP addresses and `localhost` always pass, as in Vite's and webpack-dev-server's `allowedHosts`;
 * - with auth off on loopback (an anonymous admin only this host should reach), every Host but loopback names, as
 *   Jupyter and webpack's dev server do; `server.auth.allowAnonymous` (deliberately open under any name) turns this
 *   off, and startServer then warns unless allowedHosts is set (enforceAuthPolicy).
 * Otherwise no check: guessing the names a proxy forwards would refuse working deployments.
 * Answers are cached per Host value (a storm repeats one): `new URL` per request was 1.6% of the engine's CPU in the
 * alert-ingest storm's profile.
 */
export function hostGuard(options: AuthOptions): ((request: FastifyRequest) => void) | undefined {
  const listed = options.allowedHosts ?? [];
  const loopbackOnly =
    !options.enabled && !options.allowAnonymous && !!options.listenHost && isLoopbackHost(options.listenHost);
  if (listed.length === 0 && !loopbackOnly) return undefined;
  const allows =
    listed.length > 0
      ? (hostname: string) => isLoopbackHost(hostname) || isIpAddress(hostname) || isListed(listed, hostname)
      : isLoopbackHost;
  const answers = new Map<string, boolean>();
  return function checkHost(request: FastifyRequest): void {
    const header = request.headers.host;
    if (header === undefined) return;
    let allowed = answers.get(header);
    if (allowed === undefined) {
      allowed = allows(hostnameOf(header));
      // Bounded: a client sending endless distinct Hosts only empties it, and pays the parse as before.
      if (answers.size >= HOST_ANSWERS) answers.clear();
      answers.set(header, allowed);
    }
    if (!allowed) throw hostRefused(options, listed.length > 0);
  };
}

const HOST_ANSWERS = 256;

/** The host name of a Host header as a URL parser reads it (port and userinfo dropped), or the header if none. */
export function hostnameOf(header: string): string {
  try {
    return new URL(`http://${header}`).hostname;
  } catch {
    return header;
  }
}

function isIpAddress(hostname: string): boolean {
  return isIP(hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname) !== 0;
}

function isListed(listed: readonly string[], hostname: string): boolean {
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  return listed.some((entry) =>
    entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : name === entry,
  );
}

function hostRefused(options: AuthOptions, listed: boolean): EngineError {
  if (listed)
    return new EngineError(
      'FORBIDDEN',
      'this engine answers only requests to a name in server.allowedHosts, a loopback name or an IP address; ' +
        'add the name this request used to server.allowedHosts to serve it',
      {
        issues: [
          {
            field: 'headers.host',
            message: 'must be one of server.allowedHosts, a loopback name or an IP address',
          },
        ],
      },
    );
  return new EngineError(
    'FORBIDDEN',
    `this engine runs without auth on ${options.listenHost} and answers only requests to a loopback name (localhost, ` +
      '127.0.0.1, [::1]); set server.auth.tokens to serve it under another name',
    { issues: [{ field: 'headers.host', message: 'must be a loopback host while auth is off' }] },
  );
}

/**
 * A caller may ask to be served as a lesser role than its token's (`X-AICloudOps-Role: viewer`), never a greater
 * one: a portal backend that forwards its users' reads under its own operator token gets what a viewer gets (job
 * records without their params), whoever the user is.
 */
export const ROLE_HEADER = 'x-aicloudops-role';

function narrowed(principal: Principal, request: FastifyRequest): Principal {
  const asked = request.headers[ROLE_HEADER];
  if (asked === undefined) return principal;
  if (typeof asked !== 'string' || !Object.hasOwn(ROLE_RANK, asked)) {
    throw new EngineError('INVALID_INPUT', `${ROLE_HEADER} must be viewer, operator or admin`, {
      issues: [{ field: `headers.${ROLE_HEADER}`, message: 'must be viewer, operator or admin' }],
    });
  }
  const role = asked as Role;
  return ROLE_RANK[role] < ROLE_RANK[principal.role] ? { ...principal, role } : principal;
}

/**
 * The end user a trusted front-end (a token with `actsForUsers`, e.g. the Backstage backend) calls for. Without it,
 * everything done through the portal was recorded as the portal's token (`acknowledgedBy: backstage`). Only such a
 * token may send it: from any other token it is refused, never silently trusted nor ignored. With auth off every
 * caller is already an anonymous admin, so the name is taken as given and recorded as `<user> via anonymous`.
 */
export const USER_HEADER = 'x-aicloudops-user';

// Printable ASCII, as Node reads header values as latin1; 256 covers entity refs (`user:<namespace>/<name>`, each
// part at most 63 characters in the Backstage catalog) with room to spare.
const USER_NAME = /^[\x20-\x7e]{1,256}$/;

function actingFor(principal: Principal, request: FastifyRequest, trusted: boolean): Principal {
  const asked = request.headers[USER_HEADER];
  if (asked === undefined) return principal;
  const field = `headers.${USER_HEADER}`;
  if (!trusted) {
    throw new EngineError(
      'FORBIDDEN',
      `token ${principal.name} may not act for a user (${USER_HEADER}); only a token with actsForUsers: true in ` +
        'server.auth.tokens may',
      { issues: [{ field, message: 'needs a token with actsForUsers: true' }] },
    );
  }
  const user = typeof asked === 'string' ? asked.trim() : '';
  if (!USER_NAME.test(user)) {
    throw new EngineError('INVALID_INPUT', `${USER_HEADER} must be 1 to 256 printable ASCII characters`, {
      issues: [{ field, message: 'must be 1 to 256 printable ASCII characters' }],
    });
  }
  return { ...principal, name: `${user} via ${principal.name}`, token: principal.name };
}

// Tokens are compared by digest in constant time so response timing does not leak how much of a guess matched.
const digest = (value: string) => createHash('sha256').update(value).digest();

/** Bearer-token auth with roles, applied to every route that is not marked public. */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthOptions) => {
    const known = options.tokens.map((t) => ({ ...t, digest: digest(t.token) }));
    const checkHost = hostGuard(options);

    const identify = (request: FastifyRequest): Principal => {
      const header = request.headers.authorization;
      const match = header?.match(/^Bearer\s+(.+)$/i);
      if (!match)
        throw new EngineError('UNAUTHORIZED', 'missing bearer token (Authorization: Bearer <token>)');
      const presented = digest(match[1]!.trim());
      const found = known.find((t) => timingSafeEqual(t.digest, presented));
      if (!found) throw new EngineError('UNAUTHORIZED', 'unknown bearer token');
      const principal: Principal = found.scopes
        ? { name: found.name, role: found.role, scopes: found.scopes }
        : { name: found.name, role: found.role };
      return narrowed(actingFor(principal, request, found.actsForUsers === true), request);
    };

    app.addHook('onRequest', async (request: FastifyRequest) => {
      checkHost?.(request);
      const routeConfig = request.routeOptions.config;
      if (!options.enabled) {
        request.principal = narrowed(actingFor({ name: 'anonymous', role: 'admin' }, request, true), request);
      } else if (routeConfig?.public) {
        // Public routes stay open; a caller who does present a valid token is known to them (/readyz shows it more).
        try {
          request.principal = identify(request);
        } catch {
          // No or unknown token: an anonymous caller of a public route.
        }
        return;
      } else {
        request.principal = identify(request);
      }
      const needed = routeConfig?.minRole ?? 'viewer';
      const { role } = request.principal;
      if (!routeConfig?.public && ROLE_RANK[role] < ROLE_RANK[needed]) {
        throw new EngineError('FORBIDDEN', `role ${role} may not do this; it needs ${needed}`);
      }
      assertScope(request.principal, routeConfig?.scope);
    });
  },
  { name: 'aicloudops-auth' },
);

/** A scoped token calls only routes that declare one of its scopes; the role check has already passed. */
function assertScope(principal: Principal, scope: TokenScope | undefined): void {
  const { scopes } = principal;
  if (!scopes || (scope !== undefined && scopes.includes(scope))) return;
  const token = principal.token ?? principal.name;
  const message =
    scope === undefined
      ? `token ${token} is limited to scope ${scopes.join(', ')}, and this route is in no scope (unscoped tokens only)`
      : `token ${token} lacks scope ${scope}; it has ${scopes.join(', ')}`;
  throw new EngineError('FORBIDDEN', message, {
    issues: [
      { field: 'headers.authorization', message: scope ? `needs scope ${scope}` : 'needs an unscoped token' },
    ],
  });
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i;

/** Whether a listen address only accepts connections from this host. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host.trim());
}

/** What the start-up policy reads; `store` only for its placeholder password. */
type PolicyConfig = Pick<EngineConfig, 'profile' | 'server'> & Partial<Pick<EngineConfig, 'store'>>;

/**
 * Refuses to serve without auth where strangers can reach the engine: the live profile, or any non-loopback listen
 * address (a demo on 0.0.0.0 would hand every visitor admin, ingest included). `server.auth.allowAnonymous: true`
 * overrides it, loudly. Called before anything starts, so a refused config leaves nothing running.
 */
export function enforceAuthPolicy(config: PolicyConfig, logger?: Logger): void {
  const { auth, host } = config.server;
  const anonymous = !auth.enabled || auth.tokens.length === 0;
  const exposed = config.profile === 'live' || !isLoopbackHost(host);
  if (anonymous && exposed) refuseOrWarnExposed(config, logger);
  refuseOrWarnPlaceholders(config, anonymous, exposed, logger);
  warnOpenToRebinding(config.server, logger);
}

function refuseOrWarnExposed(config: PolicyConfig, logger?: Logger): void {
  const { auth, host } = config.server;
  const where =
    config.profile === 'live' ? `the live profile (host ${host})` : `host ${host}, which is not loopback`;
  if (!auth.allowAnonymous) {
    const message =
      `refusing to start without auth on ${where}: set server.auth.tokens (and server.auth.enabled: true), ` +
      'listen on 127.0.0.1, or set server.auth.allowAnonymous: true to accept that anyone who can reach the port is admin';
    throw new EngineError('INVALID_CONFIG', message, { issues: [{ field: 'server.auth', message }] });
  }
  logger?.warn(
    { host, profile: config.profile, field: 'server.auth.allowAnonymous' },
    `SECURITY WARNING: auth is off on ${where}; every caller is an anonymous admin (ingest, config, scaling included). ` +
      'server.auth.allowAnonymous is true; set server.auth.tokens to stop this.',
  );
}

/**
 * The secrets the project ships as placeholders (provisioning/kubernetes/base/secret.yaml, the compose file's
 * defaults) are public: an engine applied from the base as it is, on the live profile behind a NetworkPolicy open to
 * every pod, made anyone who read the repository its admin. `change-me`, `changeme`, `change_me`, any case.
 */
const PLACEHOLDER = /change[-_]?me/i;

/** The config fields that hold a placeholder secret: tokens in use, and the Redis URL's password. */
function placeholderFields(config: PolicyConfig, anonymous: boolean): string[] {
  const tokens = anonymous
    ? []
    : config.server.auth.tokens.flatMap((t, i) =>
        PLACEHOLDER.test(t.token) ? [`server.auth.tokens.${i}.token`] : [],
      );
  const store = config.store;
  return store?.kind === 'redis' && PLACEHOLDER.test(urlPassword(store.url))
    ? [...tokens, 'store.url']
    : tokens;
}

function urlPassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/**
 * The live profile refuses a placeholder secret; an exposed demo (the compose stack, published on 127.0.0.1) warns,
 * since its defaults exist so that one command starts it. Messages name the fields, never the values.
 */
function refuseOrWarnPlaceholders(
  config: PolicyConfig,
  anonymous: boolean,
  exposed: boolean,
  logger?: Logger,
): void {
  const fields = placeholderFields(config, anonymous);
  if (fields.length === 0) return;
  const names = fields.join(', ');
  if (config.profile === 'live') {
    const message =
      `refusing to start with the placeholder secret in ${names}: it is published with the project, so anyone could ` +
      'use it; put a random value in its place (openssl rand -hex 32)';
    throw new EngineError('INVALID_CONFIG', message, {
      issues: fields.map((field) => ({
        field,
        message: 'is a placeholder (change-me): set a random secret',
      })),
    });
  }
  if (exposed)
    logger?.warn(
      { field: fields[0], fields },
      `SECURITY WARNING: ${names} still hold the published placeholder secret: anyone who can reach the port and ` +
        'has read the project can use it. Set random ones before serving others.',
    );
}

/**
 * allowAnonymous turns the loopback-only Host check off, so without server.allowedHosts any web page the operator opens
 * can reach the anonymous admin through DNS rebinding (hostGuard). Warned on loopback too, not only on a non-loopback
 * address: there allowAnonymous is what lifts the check. After the SECURITY WARNING of an exposed engine, which
 * says more.
 */
function warnOpenToRebinding(server: EngineConfig['server'], logger?: Logger): void {
  const { auth, host, allowedHosts } = server;
  if (auth.enabled || !auth.allowAnonymous || allowedHosts.length > 0) return;
  logger?.warn(
    { host, field: 'server.allowedHosts' },
    'auth is off and server.auth.allowAnonymous is true, so this engine answers requests to any host name: a web ' +
      'page could reach it through DNS rebinding. Set server.allowedHosts to the names it is served under.',
  );
}

/**
 * Refuses a state-changing request (POST, PUT, PATCH, DELETE) that a browser sent from another site. A route
 * without a body schema (incident ack/resolve, RCA rerun) can be posted by any web page with no CORS preflight, and
 * with auth off on loopback the Host check passes, so `https://evil.example` resolved the user's incidents (found
 * walking the README). Allowed: no `Origin` (curl, the CLI, Grafana's data proxy, which strips it, and the Backstage
 * backend, which builds its own headers), the engine's own origin (scheme and Host of the request; `https` too, for
 * an engine behind a TLS-terminating proxy), and `server.corsOrigins` (`*` allows any). `Sec-Fetch-Site: cross-site`
 * without an allowed Origin is refused too. Reads stay open to the CORS rules alone.
 */
export function assertSameOriginWrite(request: FastifyRequest, corsOrigins: ReadonlySet<string>): void {
  if (!STATE_CHANGING.has(request.method)) return;
  const origin = request.headers.origin;
  const allowed = origin !== undefined && (corsAllows(corsOrigins, origin) || ownOrigin(request, origin));
  if (allowed) return;
  const site = request.headers['sec-fetch-site'];
  if (origin === undefined && site !== 'cross-site') return;
  const field = origin === undefined ? 'headers.sec-fetch-site' : 'headers.origin';
  const message =
    origin === undefined
      ? `a cross-site browser request may not ${request.method} here; add the calling page's origin to server.corsOrigins`
      : `origin ${JSON.stringify(origin)} may not ${request.method} here: it is neither this engine's own origin nor in server.corsOrigins`;
  throw new EngineError('FORBIDDEN', message, {
    issues: [
      { field, message: 'must be this engine or one of server.corsOrigins for a state-changing request' },
    ],
  });
}

/** Whether `server.corsOrigins` lets a browser page of this origin call the engine (`*`: every origin). */
export function corsAllows(corsOrigins: ReadonlySet<string>, origin: string): boolean {
  return corsOrigins.has('*') || corsOrigins.has(origin);
}

function ownOrigin(request: FastifyRequest, origin: string): boolean {
  const host = request.headers.host;
  if (!host) return false;
  return origin === `${request.protocol}://${host}` || origin === `https://${host}`;
}
