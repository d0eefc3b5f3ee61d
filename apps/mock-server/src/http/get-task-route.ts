import { contract } from '@eggapi/contracts';
import type { Express } from 'express';
import type { MockEngine } from '@eggapi/mock-engine/host';
import { validationError } from '@eggapi/mock-engine/host';
import { detailsOf } from '@eggapi/mock-engine/host';
import { requestBase } from './v1.js';

/**
 * `GET /v1/tasks/:id`, the polling hot path, without ts-rest's generic express adapter, which the
 * bench measures at about a tenth of each poll's CPU (`EGGAPI_MOCK_TS_REST_GET=1` turns this
 * route off so the bench can compare both in one run). What the adapter checks is still checked
 * against the contract: the path parameter with the contract's own schema, the Bearer header by
 * the `/v1` guards before any route (the contract's header pattern), and the answer, when
 * `validateResponses` is on, against the contract's schema for its status.
 */
export function mountGetTask(app: Express, engine: MockEngine, validateResponses: boolean): void {
  const route = contract.getTask;
  app.get(route.path, (req, res, next) => {
    const params = route.pathParams.safeParse(req.params);
    if (!params.success) return next(validationError(detailsOf(params.error)));
    engine.getTask(req.apiKey, params.data.id, requestBase(req)).then((task) => {
      const body = { data: task, error: null };
      if (validateResponses) route.responses[200].parse(body);
      res.status(200).json(body);
    }, next);
  });
}
