import type { AppRouter } from '@ts-rest/core';
import type { RequestHandler, Router } from 'express';
import { HttpError } from '../errors.js';

/** 405 METHOD_NOT_ALLOWED (with `Allow`) for every path of `router` on methods it lacks. */
export function methodNotAllowed(target: Router, routes: AppRouter): void {
  const methods = new Map<string, Set<string>>();
  for (const route of Object.values(routes)) {
    if (!('method' in route) || typeof route.method !== 'string') continue;
    const set = methods.get(route.path) ?? new Set<string>();
    set.add(route.method);
    if (route.method === 'GET') set.add('HEAD');
    methods.set(route.path, set);
  }
  for (const [path, allowed] of methods) {
    const allow = [...allowed].sort().join(', ');
    target.all(path, (req, _res, next) =>
      next(
        new HttpError(
          'METHOD_NOT_ALLOWED',
          `${req.method} is not allowed on ${req.path}; use ${allow}`,
          {
            headers: { Allow: allow },
          },
        ),
      ),
    );
  }
}

/** 404 NOT_FOUND envelope for any path no route matched. */
export function notFound(): RequestHandler {
  return (req, _res, next) =>
    next(new HttpError('NOT_FOUND', `no route for ${req.method} ${req.path}`));
}
