import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { buildOpenApiDocument } from '@eggapi/contracts';
import express, { type Router } from 'express';
import { requestBase } from './request-facts.js';

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
export function docsRouter(publicBaseUrl: string | undefined): Router {
  const router = express.Router();
  let document: Record<string, unknown> | undefined;
  router.get('/openapi.json', (req, res) => {
    document ??= buildOpenApiDocument();
    res.json({
      ...document,
      servers: [{ url: publicBaseUrl ?? requestBase(req), description: 'this mock server' }],
    });
  });
  // The root names what is here, so a browser or curl pointed at the mock finds its way.
  router.get('/', (req, res) => {
    const base = publicBaseUrl ?? requestBase(req);
    res.json({
      data: {
        name: 'EggAPI mock server',
        docs: `${base}/docs`,
        console: `${base}/console/`,
        openapi: `${base}/openapi.json`,
        api: `${base}/v1`,
        admin: `${base}/__admin`,
      },
      error: null,
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
