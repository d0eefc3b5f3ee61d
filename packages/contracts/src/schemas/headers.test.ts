import { describe, expect, it } from 'vitest';
import {
  displayHeaderName,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  MOCK_FAULT_HEADER,
  MOCK_FAULT_INJECTED_HEADER,
  MOCK_SCENARIO_HEADER,
  REQUEST_ID_HEADER,
  WEBHOOK_DELIVERY_POLICY,
} from '../index.js';

describe('header names', () => {
  it('are the names on the wire: request headers lower-case, response headers as printed', () => {
    expect({
      IDEMPOTENCY_KEY_HEADER,
      MOCK_SCENARIO_HEADER,
      MOCK_FAULT_HEADER,
      REQUEST_ID_HEADER,
      IDEMPOTENT_REPLAYED_HEADER,
      MOCK_FAULT_INJECTED_HEADER,
    }).toEqual({
      IDEMPOTENCY_KEY_HEADER: 'idempotency-key',
      MOCK_SCENARIO_HEADER: 'x-eggapi-mock-scenario',
      MOCK_FAULT_HEADER: 'x-eggapi-mock-fault',
      REQUEST_ID_HEADER: 'X-Request-Id',
      IDEMPOTENT_REPLAYED_HEADER: 'Idempotent-Replayed',
      MOCK_FAULT_INJECTED_HEADER: 'X-EggAPI-Mock-Fault-Injected',
    });
  });

  it.each([
    ['idempotency-key', 'Idempotency-Key'],
    ['x-eggapi-mock-scenario', 'X-EggAPI-Mock-Scenario'],
    ['x-eggapi-mock-fault', 'X-EggAPI-Mock-Fault'],
    ['x-eggapi-mock-fault-injected', 'X-EggAPI-Mock-Fault-Injected'],
    ['x-request-id', 'X-Request-Id'],
    ['X-Request-Id', 'X-Request-Id'],
    ['content-type', 'Content-Type'],
  ])('displays %s as %s', (name, shown) => {
    expect(displayHeaderName(name)).toBe(shown);
  });
});

describe('WEBHOOK_DELIVERY_POLICY', () => {
  it('is upstream’s 30 s and 5 attempts, with backoff from 1 s doubling up to 60 s', () => {
    expect(WEBHOOK_DELIVERY_POLICY).toEqual({
      timeoutMs: 30_000,
      maxAttempts: 5,
      backoff: 'exponential',
      backoffBaseMs: 1_000,
      backoffMaxMs: 60_000,
    });
  });
});
