import { describe, expect, it } from 'vitest';
import { globalRegistry } from 'zod/mini';
import { isAllowedWebhookUrl, WEBHOOK_URL_PATTERN, WebhookUrlSchema } from '../index.js';

describe('webhook_url', () => {
  it.each([
    'https://example.com/eggapi/webhook',
    'https://example.com:8443/hook?x=1',
    'http://localhost:3000/hook',
    'http://LOCALHOST/hook',
    'http://127.0.0.1:8080/hook',
    'http://127.255.0.9/hook',
    'http://[::1]:9000/hook',
    'HTTPS://Example.COM/hook',
    'https://93.184.216.34/hook',
  ])('accepts %s', (url) => {
    expect(isAllowedWebhookUrl(url)).toBe(true);
    expect(WebhookUrlSchema.safeParse(url).success).toBe(true);
  });

  it.each([
    'http://example.com/hook',
    'http://128.0.0.1/hook',
    'http://localhost.example.com/hook',
    'http://127.0.0.1.nip.io/hook',
    'http://10.0.0.1/hook',
    'ftp://example.com/hook',
    'ws://localhost/hook',
    'https://user:pass@example.com/hook',
    '/relative/hook',
    'example.com/hook',
    '',
    // What a URL parser would normalise: the document's pattern refuses it, so the server does.
    'http://127.1/hook',
    ' https://example.com/hook',
    'https://[2001:db8::1]/hook',
    'https://example.com/hook/é',
    'https://xn--a.example/hook',
    'https://example.com:65536/hook',
  ])('rejects %s', (url) => {
    expect(isAllowedWebhookUrl(url)).toBe(false);
    expect(WebhookUrlSchema.safeParse(url).success).toBe(false);
  });

  it('rejects URLs longer than 2048 characters', () => {
    const url = `https://example.com/${'a'.repeat(2048)}`;
    expect(WebhookUrlSchema.safeParse(url).error?.issues[0]?.message).toBe(
      'webhook_url must be at most 2048 characters',
    );
  });

  it('matches WEBHOOK_URL_PATTERN exactly (what the OpenAPI document publishes)', () => {
    const samples = ['https://a.example/x', 'http://127.1/', 'http://localhost:1/', 'ftp://a/'];
    for (const url of samples) {
      expect(isAllowedWebhookUrl(url), url).toBe(new RegExp(WEBHOOK_URL_PATTERN).test(url));
    }
  });

  it('documents the loopback exception in its description', () => {
    expect(globalRegistry.get(WebhookUrlSchema)?.description).toMatch(
      /loopback host \(localhost, 127\.0\.0\.0\/8, \[::1\]\)/,
    );
  });
});
