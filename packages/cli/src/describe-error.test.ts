import {
  APIConnectionError,
  AuthenticationError,
  InvalidArgumentError,
  TaskFailedError,
  TaskTimeoutError,
  ValidationError,
} from '@eggapi/client';
import { taskFixture } from '@eggapi/contracts/testing';
import { WebhookVerificationError } from '@eggapi/webhook';
import { describe, expect, it } from 'vitest';
import { describeError, exitCodeFor } from './describe-error.js';
import { UsageError } from './errors.js';

const headers = (requestId?: string) => new Headers(requestId ? { 'x-request-id': requestId } : {});

describe('describeError', () => {
  it('names the code, the status, the server’s message and the request id of an API error', () => {
    const error = new AuthenticationError('invalid API key', {
      status: 401,
      headers: headers('req_123'),
      error: { code: 'UNAUTHORIZED', message: 'invalid API key' },
    });
    expect(describeError(error)).toBe(
      'UNAUTHORIZED (HTTP 401): invalid API key [request id: req_123]',
    );
  });

  it('lists field errors, unless the only one repeats the message', () => {
    const make = (details: { path: string; message: string }[]) =>
      new ValidationError('prompt must not be empty', {
        status: 400,
        headers: headers(),
        error: { code: 'VALIDATION_ERROR', message: 'prompt must not be empty', details },
      });
    expect(describeError(make([{ path: 'prompt', message: 'prompt must not be empty' }]))).toBe(
      'VALIDATION_ERROR (HTTP 400): prompt must not be empty [request id: none]',
    );
    expect(
      describeError(
        make([
          { path: 'prompt', message: 'prompt must not be empty' },
          { path: 'num_outputs', message: 'too many' },
        ]),
      ),
    ).toBe(
      'VALIDATION_ERROR (HTTP 400): prompt must not be empty [request id: none]\n' +
        '  prompt: prompt must not be empty\n  num_outputs: too many',
    );
  });

  it('says which task failed and why, or did not finish in time', () => {
    const failed = taskFixture({ id: 'gen_f', status: 'failed', error: 'boom' });
    expect(describeError(new TaskFailedError(failed))).toBe('task gen_f failed: boom');
    const timeout = new TaskTimeoutError('gen_t', 300_000, taskFixture({ status: 'processing' }));
    expect(describeError(timeout)).toBe(
      'task gen_t did not finish within 300 s (last status: processing)',
    );
  });

  it('names the verification reason', () => {
    const error = new WebhookVerificationError('timestamp_too_old', 'The timestamp is too old.');
    expect(describeError(error)).toBe(
      'webhook verification failed: timestamp_too_old: The timestamp is too old.',
    );
  });

  it('keeps the message of other errors', () => {
    expect(describeError(new APIConnectionError('Connection error: fetch failed (x)'))).toBe(
      'Connection error: fetch failed (x)',
    );
    expect(describeError('odd')).toBe('odd');
  });
});

describe('exitCodeFor', () => {
  it('is 2 for usage errors and 1 for everything else', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new InvalidArgumentError('id', 'bad id'))).toBe(2);
    expect(exitCodeFor(new Error('x'))).toBe(1);
    expect(exitCodeFor(new WebhookVerificationError('replayed', 'x'))).toBe(1);
  });
});
