import { describe, expect, it } from 'vitest';
import {
  costForImages,
  CostFormatError,
  formatTaskCost,
  formatWebhookCost,
  parseCost,
  PRICE_PER_IMAGE_MICROS,
} from './index.js';

describe('parseCost', () => {
  it.each([
    ['$0.0100', 10_000],
    ['$0.00', 0],
    ['$0.0400', 40_000],
    ['0.010000', 10_000],
    ['0.000000', 0],
    ['$12.5', 12_500_000],
    ['3', 3_000_000],
    ['0.000001', 1],
    ['$0.01000000', 10_000],
  ])('parses %s to %i micro-dollars', (cost, micros) => {
    expect(parseCost(cost)).toBe(micros);
  });

  it('gives both documented formats of one price the same integer', () => {
    expect(parseCost('$0.0100')).toBe(parseCost('0.010000'));
    expect(Number.isInteger(parseCost('$0.0100'))).toBe(true);
  });

  it('sums without float error', () => {
    const total = Array.from({ length: 10 }, () => parseCost('$0.0100')).reduce((a, b) => a + b);
    expect(total).toBe(100_000);
    expect(formatTaskCost(total)).toBe('$0.1000');
  });

  it.each(['', '$', '0.01$', '-$0.01', '$-0.01', '1e-2', '0,01', 'USD 0.01', '$.01', '0.0000001'])(
    'rejects %j',
    (cost) => {
      expect(() => parseCost(cost)).toThrow(CostFormatError);
    },
  );

  it('rejects amounts beyond the safe integer range', () => {
    expect(() => parseCost('99999999999999999')).toThrow(/out of range/);
  });
});

describe('formatting', () => {
  it.each([
    [0, '$0.00', '0.000000'],
    [10_000, '$0.0100', '0.010000'],
    [40_000, '$0.0400', '0.040000'],
    [1_234_500, '$1.2345', '1.234500'],
    [5, '$0.000005', '0.000005'],
    [12_345_678, '$12.345678', '12.345678'],
  ])('formats %i micro-dollars as %s and %s', (micros, task, webhook) => {
    expect(formatTaskCost(micros)).toBe(task);
    expect(formatWebhookCost(micros)).toBe(webhook);
    expect(parseCost(task)).toBe(micros);
    expect(parseCost(webhook)).toBe(micros);
  });

  it.each([-1, 0.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2])('refuses %s', (micros) => {
    expect(() => formatTaskCost(micros)).toThrow(RangeError);
    expect(() => formatWebhookCost(micros)).toThrow(RangeError);
  });

  it('prices images at $0.0100 each', () => {
    expect(PRICE_PER_IMAGE_MICROS).toBe(10_000);
    expect(formatTaskCost(costForImages(3))).toBe('$0.0300');
    expect(formatWebhookCost(costForImages(4))).toBe('0.040000');
  });
});
