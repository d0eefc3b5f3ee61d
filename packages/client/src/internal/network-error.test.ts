import { describe, expect, it } from 'vitest';
import { failedBeforeSend } from './network-error.js';

const systemError = (code: string) => Object.assign(new Error(code), { code });
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

describe('failedBeforeSend', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])(
    'is true for undici’s %s',
    (code) => {
      expect(failedBeforeSend(fetchFailed(systemError(code)))).toBe(true);
    },
  );

  it('is true when every address of a dual-stack host refused', () => {
    const both = new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]);
    expect(failedBeforeSend(fetchFailed(both))).toBe(true);
  });

  it('is true for Deno’s ConnectionRefused', () => {
    const deno = Object.assign(new Error('refused'), { name: 'ConnectionRefused' });
    expect(failedBeforeSend(fetchFailed(deno))).toBe(true);
  });

  it.each(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ETIMEDOUT'])(
    'is false for %s, which may come after the request was sent',
    (code) => {
      expect(failedBeforeSend(fetchFailed(systemError(code)))).toBe(false);
    },
  );

  it('is false for a browser’s reasonless TypeError', () => {
    expect(failedBeforeSend(new TypeError('Failed to fetch'))).toBe(false);
  });
});
