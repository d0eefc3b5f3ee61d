import { contract } from '@eggapi/contracts';
import type { AppRouteQueryImplementation, TsRestRequest } from '@ts-rest/express';
import type { Express } from 'express';
import { detailsOf, validationError } from '../errors.js';

type GetTaskRoute = typeof contract.getTask;
type GetTaskInput = Parameters<AppRouteQueryImplementation<GetTaskRoute>>[0];

/**
 * Serves `GET /v1/tasks/:id`, the polling hot path, with the contract's implementation of it
 * (`handler`, typed by ts-rest like every other route) but without ts-rest's generic express
 * adapter, which cost about a tenth of the CPU of each poll. What the adapter would check is
 * still checked: the path parameter here, with the contract's own schema; the Bearer header by
 * `bearerAuth` before any `/v1` route (the same pattern as the contract's header schema); the
 * answer, when `validateResponses` is on, against the contract's schema for its status.
 */
export function mountGetTask(
  app: Express,
  handler: AppRouteQueryImplementation<GetTaskRoute>,
  validateResponses: boolean,
): void {
  const route = contract.getTask;
  app.get(route.path, (req, res, next) => {
    const params = route.pathParams.safeParse(req.params);
    if (!params.success) return next(validationError(detailsOf(params.error)));
    const input: GetTaskInput = {
      params: params.data,
      // bearerAuth has let this request through, so `authorization` is there and well formed.
      headers: req.headers,
      req: req as TsRestRequest<GetTaskRoute>,
      res,
    };
    handler(input).then(({ status, body }) => {
      if (validateResponses) route.responses[status].parse(body);
      res.status(status).json(body);
    }, next);
  });
}
