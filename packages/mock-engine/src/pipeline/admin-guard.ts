import { bearerToken, UPSTREAM_RATE_LIMIT_PER_SECOND } from '@eggapi/contracts';
import type { MockEngine } from '../engine/engine.js';
import { EngineError } from '../engine/errors.js';
import { ADMIN_PREFIX } from '../options.js';
import { HttpError } from '../protocol/answers.js';
import { isJsonMediaType } from '../protocol/media-type.js';
import type { RequestFacts } from './types.js';

/** The least the admin bucket allows per second and client when a rate limit is on (upstream's). */
const ADMIN_RATE_FLOOR = UPSTREAM_RATE_LIMIT_PER_SECOND;
/** `Sec-Fetch-Site` values of requests that did not come from another origin's page. */
const OWN_SITES = new Set(['same-origin', 'none']);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AdminGuardOptions {
  adminToken?: string;
  publicBaseUrl?: string;
}

/** Whether a path (below the base) is the admin API's; case-insensitive, as routing is. */
export function isAdminPath(path: string): boolean {
  // The hot path (`/v1/…`) leaves at the first character after the slash.
  if (path.charCodeAt(1) !== 95 /* _ */) return false;
  const lower = path.toLowerCase();
  return lower === ADMIN_PREFIX || lower.startsWith(`${ADMIN_PREFIX}/`);
}

/**
 * What every `/__admin` request passes, for every transport, in this order: it must come from
 * the mock's own pages or a client that is not a browser (see `checkSameOrigin`); `OPTIONS`
 * then answers 204 with nothing granted (resolves `'options'`); the rate limit, in a bucket of
 * its own never below upstream's 100/s, so the console and a test's controls keep working while
 * the test provokes 429s on `/v1` (health, for probes, does not count); and `adminToken`, when
 * one is configured.
 */
export async function guardAdmin(
  engine: MockEngine,
  request: RequestFacts,
  options: AdminGuardOptions,
): Promise<'options' | 'pass'> {
  checkSameOrigin(request, options.publicBaseUrl);
  if (request.method === 'OPTIONS') return 'options';
  const route = request.path
    .slice(ADMIN_PREFIX.length)
    .toLowerCase()
    .replace(/(.)\/$/, '$1');
  // Health is for probes: it must say what it sees (Redis down included), never 429.
  if (route !== '/health') await engine.checkRateLimit(`admin:${request.client}`, ADMIN_RATE_FLOOR);
  if (
    options.adminToken !== undefined &&
    bearerToken(request.header('authorization')) !== options.adminToken
  ) {
    throw new EngineError('UNAUTHORIZED', 'admin token missing or invalid');
  }
  return 'pass';
}

const refuse = (message: string, path: string, detail: string) =>
  new HttpError('FORBIDDEN', message, {}, [{ path, message: detail }]);

/**
 * The admin routes answer only their own pages (the console, served by the mock itself) and
 * clients that are not browsers (curl, scripts, the CLI, tests: they send neither `Origin` nor
 * `Sec-Fetch-Site`). Refused with 403 FORBIDDEN:
 *
 * - a request whose `Sec-Fetch-Site` is not `same-origin` or `none` (a typed URL): another site's
 *   page, or another port of this host (`same-site`);
 * - a request whose `Origin` is not this server's own: the scheme, host and port it was reached
 *   at (its `Host`), or the origin of `publicBaseUrl` behind a proxy;
 * - a state-changing request (anything but GET, HEAD, OPTIONS) without
 *   `Content-Type: application/json`: a browser sends that type cross-origin only after a
 *   preflight, which `/__admin` never grants, so a page cannot smuggle a "simple" request
 *   (text/plain, a form) past the checks above in a browser that sends neither header.
 */
function checkSameOrigin(request: RequestFacts, publicBaseUrl: string | undefined): void {
  const site = request.header('sec-fetch-site');
  if (site !== undefined && !OWN_SITES.has(site)) {
    throw refuse(
      `cross-site request refused: /__admin answers only the mock's own console and clients that are not browsers (Sec-Fetch-Site: ${site}); open the console on this server, or call it from curl, a script or a test`,
      'headers.sec-fetch-site',
      'must be same-origin or none',
    );
  }
  const origin = request.header('origin');
  const publicOrigin = publicBaseUrl === undefined ? undefined : new URL(publicBaseUrl).origin;
  if (origin !== undefined && origin !== request.ownOrigin && origin !== publicOrigin) {
    throw refuse(
      `cross-origin request refused: /__admin answers only pages of this server, not ${origin}; open the console on this server, or call it from curl, a script or a test`,
      'headers.origin',
      `must be this server's own origin${publicOrigin ? ` or ${publicOrigin}` : ''}`,
    );
  }
  if (!READS.has(request.method) && !isJsonMediaType(request.header('content-type'))) {
    throw refuse(
      `${request.method} ${request.path} needs "Content-Type: application/json", even without a body (so that no other site's page can send it)`,
      'headers.content-type',
      'must be application/json',
    );
  }
}
