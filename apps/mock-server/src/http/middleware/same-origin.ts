import type { Request, RequestHandler } from 'express';
import { canonicalOrigin } from '../../config.js';
import { HttpError } from '@eggapi/mock-engine/host';
import { isJsonMediaType } from '@eggapi/mock-engine/host';

/** `Sec-Fetch-Site` values of requests that did not come from another origin's page. */
const OWN_SITES = new Set(['same-origin', 'none']);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

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
export function sameOriginOnly(publicBaseUrl: string | undefined): RequestHandler {
  const publicOrigin = publicBaseUrl === undefined ? undefined : new URL(publicBaseUrl).origin;
  return (req, _res, next) => {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && !OWN_SITES.has(site)) {
      return next(
        refuse(
          `cross-site request refused: /__admin answers only the mock's own console and clients that are not browsers (Sec-Fetch-Site: ${site}); open the console on this server, or call it from curl, a script or a test`,
          'headers.sec-fetch-site',
          'must be same-origin or none',
        ),
      );
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== ownOrigin(req) && origin !== publicOrigin) {
      return next(
        refuse(
          `cross-origin request refused: /__admin answers only pages of this server, not ${origin}; open the console on this server, or call it from curl, a script or a test`,
          'headers.origin',
          `must be this server's own origin${publicOrigin ? ` or ${publicOrigin}` : ''}`,
        ),
      );
    }
    if (!READS.has(req.method) && !isJsonMediaType(req.headers['content-type'])) {
      return next(
        refuse(
          `${req.method} ${req.baseUrl}${req.path} needs "Content-Type: application/json", even without a body (so that no other site's page can send it)`,
          'headers.content-type',
          'must be application/json',
        ),
      );
    }
    next();
  };
}

/** The origin this request was addressed to: its scheme and its `Host`, canonical. */
function ownOrigin(req: Request): string | undefined {
  const host = req.headers.host;
  return host === undefined ? undefined : canonicalOrigin(`${req.protocol}://${host}`);
}
