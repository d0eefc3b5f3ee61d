import { TaskEnvelopeSchema } from '@eggapi/contracts';
import { taskFixture } from '@eggapi/contracts/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APIError, UnexpectedResponseError } from '../errors.js';
import { readEnvelope } from './response.js';

const json = new Headers({ 'content-type': 'application/json' });

function outcome(status: number, text: string): unknown {
  try {
    return readEnvelope({ status, headers: json }, text, TaskEnvelopeSchema);
  } catch (error) {
    return error;
  }
}

describe('readEnvelope on untrusted answers', () => {
  it('turns any body of any status into a value or an APIError, never a raw error', () => {
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((data) => JSON.stringify({ data, error: null })),
      fc.jsonValue().map((error) => JSON.stringify({ data: null, error })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 599 }), body, (status, text) => {
        const result = outcome(status, text);
        if (result instanceof Error) {
          expect(result).toBeInstanceOf(APIError);
          expect((result as APIError).status).toBe(status);
        } else {
          expect(status).toBeLessThan(300);
        }
      }),
    );
  });

  it('answers the task of any 2xx carrying a valid task envelope', () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 299 }), (status) => {
        const task = taskFixture({ status: 'processing' });
        expect(outcome(status, JSON.stringify({ data: task, error: null }))).toEqual(task);
      }),
    );
  });

  it('says what came back when a 2xx is not the contract’s', () => {
    const error = outcome(200, '{"data": {"id": 1}}');
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toContain('data.id');
  });
});
