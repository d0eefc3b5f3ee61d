import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { buildOpenApiDocument } from '@eggapi/contracts';
import express, { type Router } from 'express';
import type { MockState } from '../state.js';
import { baseUrlFor } from './v1.js';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>EggAPI mock server — API docs</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/**
 * `/openapi.json` (the contracts package's document, with this server as its server URL) and
 * `/docs`, a Swagger UI page whose assets are served from the installed swagger-ui-dist package:
 * no CDN, so it works offline.
 */
export function docsRouter(state: MockState): Router {
  const router = express.Router();
  let document: Record<string, unknown> | undefined;
  router.get('/openapi.json', (req, res) => {
    document ??= buildOpenApiDocument();
    res.json({
      ...document,
      servers: [{ url: baseUrlFor(state, req), description: 'this mock server' }],
    });
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.use('/docs/assets', express.static(assets, { index: false, maxAge: '1h' }));
  return router;
}
