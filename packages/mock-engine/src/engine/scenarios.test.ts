import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FAILURE_MESSAGE,
  MODERATION_FAILURE_MESSAGE,
  parseFault,
  parseTaskScenario,
  ScenarioSyntaxError,
  scenarioFor,
} from './scenarios.js';

describe('task scenarios', () => {
  it.each([
    ['fail', { fail: DEFAULT_FAILURE_MESSAGE }],
    ['fail="boom; really"', { fail: 'boom; really' }],
    ['fail=out of credits', { fail: 'out of credits' }],
    ['moderation', { fail: MODERATION_FAILURE_MESSAGE }],
    ['delay=2500', { processingMs: 2500 }],
    ['queue=10; delay=20; polls=3', { queueMs: 10, processingMs: 20, polls: 3 }],
    ['polls=2; fail', { polls: 2, fail: DEFAULT_FAILURE_MESSAGE }],
    ['  FAIL  ', { fail: DEFAULT_FAILURE_MESSAGE }],
  ])('parses %j', (text, expected) => {
    expect(parseTaskScenario(text)).toEqual(expected);
  });

  it.each(['explode', 'delay=-1', 'delay=abc', 'polls=0', 'delay=99999999', 'fail=', '; ;x'])(
    'rejects %j with a reason',
    (text) => {
      expect(() => parseTaskScenario(text)).toThrow(ScenarioSyntaxError);
    },
  );

  it('reads a prompt marker when there is no header, and prefers the header', () => {
    expect(scenarioFor(undefined, 'a cat [[mock: fail="nope"]] on a mat')).toEqual({
      fail: 'nope',
    });
    expect(scenarioFor('delay=5', 'a cat [[mock: fail]]')).toEqual({ processingMs: 5 });
    expect(scenarioFor(undefined, 'a cat')).toBeUndefined();
  });
});

describe('faults', () => {
  it.each([
    ['503', { kind: '503', times: 1 }],
    ['429; retry-after=2', { kind: '429', times: 1, retryAfterSeconds: 2 }],
    ['503; times=2', { kind: '503', times: 2 }],
    ['reset', { kind: 'reset', times: 1 }],
  ])('parses %j', (text, expected) => {
    expect(parseFault(text)).toEqual(expected);
  });

  it.each(['404', 'times=2', '503; often', '503=1', ''])('rejects %j', (text) => {
    expect(() => parseFault(text)).toThrow(ScenarioSyntaxError);
  });
});
