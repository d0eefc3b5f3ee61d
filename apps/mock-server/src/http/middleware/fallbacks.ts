import type { AppRouter } from '@ts-rest/core';
import type { RequestHandler, Router } from 'express';
import { HttpError } from '../errors.js';

/**
 * 404 NOT_FOUND, with `Allow` naming the methods that exist, for every path of `router` on the
 * methods it lacks. Not 405: upstream documents no code for it, and every error answers with a
 * documented code; `Allow` still tells the caller what the path takes.
 */
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
        new HttpError('NOT_FOUND', `no route for ${req.method} ${req.path}; it takes ${allow}`, {
          Allow: allow,
        }),
      ),
    );
  }
}

/** 404 NOT_FOUND envelope for any path no route matched. */
export function notFound(): RequestHandler {
  return (req, _res, next) =>
    next(new HttpError('NOT_FOUND', `no route for ${req.method} ${req.path}`));
}
