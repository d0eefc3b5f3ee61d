import type { IncomingHttpHeaders } from 'node:http';
import type { Request as ExpressRequest, RequestHandler } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import type { WebhookEvent } from '@eggapi/contracts';
import * as node from './index.js';
import * as web from './web.js';
import { verifyRequest } from './fetch.js';
import {
  eggapiWebhook,
  type EggapiWebhookMiddleware,
  type EggapiWebhookRequest,
} from './express.js';

// Checked by `tsc -p tsconfig.json` (the typecheck script); at run time these are no-ops.
const options = { payload: '{}', headers: {}, secret: 's' };

describe('types', () => {
  it('the node verifyWebhook returns a WebhookEvent, the web one a Promise of it', () => {
    expectTypeOf(node.verifyWebhook).returns.toEqualTypeOf<WebhookEvent>();
    expectTypeOf(web.verifyWebhook).returns.toEqualTypeOf<Promise<WebhookEvent>>();
    expectTypeOf(verifyRequest).returns.toEqualTypeOf<Promise<WebhookEvent>>();
  });

  it('signWebhook returns the two header names, sync on node and async on web', () => {
    type Headers = { 'X-EggAPI-Timestamp': string; 'X-EggAPI-Signature': string };
    expectTypeOf(node.signWebhook).returns.toEqualTypeOf<node.WebhookSignatureHeaders>();
    expectTypeOf<node.WebhookSignatureHeaders>().toEqualTypeOf<Headers>();
    expectTypeOf(web.signWebhook).returns.toEqualTypeOf<Promise<node.WebhookSignatureHeaders>>();
    expectTypeOf(node.signWebhook).parameters.toEqualTypeOf<
      [payload: string | Uint8Array, secret: string, timestamp?: number]
    >();
  });

  it('narrows the event on its `event` member', () => {
    const handle = (event: WebhookEvent) => {
      if (event.event === 'task.failed') expectTypeOf(event.error).toEqualTypeOf<string>();
      else expectTypeOf(event.status).toEqualTypeOf<'completed'>();
    };
    expectTypeOf(handle).parameter(0).toEqualTypeOf<ReturnType<typeof node.verifyWebhook>>();
  });

  it('accepts every header form and payload form', () => {
    expectTypeOf<IncomingHttpHeaders>().toExtend<node.WebhookHeaders>();
    expectTypeOf<Headers>().toExtend<node.WebhookHeaders>();
    expectTypeOf<Record<string, string>>().toExtend<node.WebhookHeaders>();
    expectTypeOf<Buffer>().toExtend<node.WebhookPayload>();
    expectTypeOf<readonly string[]>().toExtend<node.WebhookSecret>();
  });

  it('reasons are a closed union', () => {
    expectTypeOf<node.WebhookVerificationReason>().toExtend<string>();
    expectTypeOf<'signature_mismatch'>().toExtend<node.WebhookVerificationReason>();
    expectTypeOf<'nope'>().not.toExtend<node.WebhookVerificationReason>();
  });

  it('the middleware fits express RequestHandler slots and types req.eggapiEvent', () => {
    expectTypeOf(eggapiWebhook({ secret: 's' })).toExtend<RequestHandler>();
    expectTypeOf(eggapiWebhook({ secret: 's' })).toEqualTypeOf<EggapiWebhookMiddleware>();
    expectTypeOf<Express.Request['eggapiEvent']>().toEqualTypeOf<WebhookEvent | undefined>();
    expectTypeOf<ExpressRequest['eggapiEvent']>().toEqualTypeOf<WebhookEvent | undefined>();
    expectTypeOf<
      EggapiWebhookRequest<ExpressRequest>['eggapiEvent']
    >().toEqualTypeOf<WebhookEvent>();
    expectTypeOf<EggapiWebhookRequest<ExpressRequest>['params']>().toExtend<object>();
  });

  it('refuses misuse at compile time', () => {
    const misuse = () => {
      // @ts-expect-error the parsed JSON is not a payload: pass the raw body
      node.verifyWebhook({ ...options, payload: { event: 'task.completed' } });
      // @ts-expect-error the secret is a string or a list of strings
      node.verifyWebhook({ payload: '{}', headers: {}, secret: 42 });
      // @ts-expect-error tolerance is a number of seconds
      node.verifyWebhook({ ...options, tolerance: '300' });
      // @ts-expect-error the clock is (or returns) seconds, milliseconds or a Date
      node.verifyWebhook({ ...options, now: () => '2026-05-08' });
      // @ts-expect-error signWebhook wants the body text, not an object
      node.signWebhook({ event: 'task.completed' }, 's');
      // @ts-expect-error the web verifier's result must be awaited
      const notAwaited: WebhookEvent = web.verifyWebhook(options);
      // @ts-expect-error reasons are a closed set
      const reason: node.WebhookVerificationReason = 'bad_signature';
      return [notAwaited, reason];
    };
    expectTypeOf(misuse).toBeFunction();
  });
});
