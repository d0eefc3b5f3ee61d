import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { EngineError } from '@eggapi/mock-engine/host';

/** Where the built console lives: `dist/console` of this package, however it is loaded. */
function consoleDirectory(): string {
  // The package resolves itself by name (its `exports` name ./package.json) from src/, dist/
  // and the bundles in dist/ alike.
  const manifest = createRequire(import.meta.url).resolve('@eggapi/mock-server/package.json');
  return join(dirname(manifest), 'dist', 'console');
}

/**
 * `/console`: the mock's console, a page and its assets built into `dist/console` at build time
 * (no CDN: it works offline). Nothing of it is read or even located at start-up: the first
 * request finds the directory, and files are read as they are asked for. The page asks for the
 * admin token itself (the API under `/__admin` checks it); the assets are public, and so is
 * `/console/settings.json` (whether a token is needed).
 */
export function consoleRouter(
  publicBaseUrl: string | undefined,
  adminToken: string | undefined,
): Router {
  // Output images link to the public URL when one is set (it may be another origin).
  const images = publicBaseUrl === undefined ? '' : ` ${new URL(publicBaseUrl).origin}`;
  const policy = [
    "default-src 'self'",
    `img-src 'self' data:${images}`,
    "style-src 'self'",
    "script-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const router = express.Router();
  let serve: RequestHandler | undefined;
  const assets: RequestHandler = (req, res, next) => {
    if (!serve) {
      const directory = consoleDirectory();
      if (!existsSync(join(directory, 'index.html'))) {
        return next(
          new EngineError(
            'NOT_FOUND',
            `the console is not built (${directory} is missing): run npm run build -w @eggapi/mock-server`,
          ),
        );
      }
      serve = express.static(directory, {
        index: 'index.html',
        redirect: false,
        // index.html names the assets without a hash: revalidate rather than cache blindly.
        cacheControl: true,
        maxAge: 0,
        setHeaders: (response) => {
          response.setHeader('X-Content-Type-Options', 'nosniff');
          response.setHeader('Content-Security-Policy', policy);
        },
      });
    }
    serve(req, res, next);
  };
  router.get('/console', (req, res, next) => {
    // Relative links from /console would resolve against /: the page lives at /console/.
    // Relative, so that it also works behind a proxy that mounts the mock under a path.
    if (req.path === '/console') return res.redirect(308, 'console/');
    next();
  });
  // Public: whether the page must ask for a token before its first admin request (a 401 from
  // the admin API says the same to anyone).
  router.get('/console/settings.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ admin_token_required: adminToken !== undefined });
  });
  router.use('/console', assets);
  return router;
}
