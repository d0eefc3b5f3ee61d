import type { AppRouter } from '@ts-rest/core';
import type { RequestHandler, Router } from 'express';
import { allowedMethods, noRoute } from '@eggapi/mock-engine/host';

/**
 * 404 NOT_FOUND, with `Allow` naming the methods that exist, for every path of `router` on the
 * methods it lacks (see `noRoute`).
 */
export function methodNotAllowed(target: Router, routes: AppRouter): void {
  for (const [path, allow] of allowedMethods(routes)) {
    target.all(path, (req, _res, next) => next(noRoute(req.method, req.path, allow)));
  }
}

/** 404 NOT_FOUND envelope for any path no route matched. */
export function notFound(): RequestHandler {
  return (req, _res, next) => next(noRoute(req.method, req.path));
}
