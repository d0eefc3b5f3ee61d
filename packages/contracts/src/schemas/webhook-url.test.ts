import { describe, expect, it } from 'vitest';
import { globalRegistry } from 'zod/mini';
import { isAllowedWebhookUrl, WebhookUrlSchema } from '../index.js';

describe('webhook_url', () => {
  it.each([
    'https://example.com/eggapi/webhook',
    'https://example.com:8443/hook?x=1',
    'http://localhost:3000/hook',
    'http://LOCALHOST/hook',
    'http://127.0.0.1:8080/hook',
    'http://127.255.0.9/hook',
    'http://[::1]:9000/hook',
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

  it('documents the loopback exception in its description', () => {
    expect(globalRegistry.get(WebhookUrlSchema)?.description).toMatch(
      /loopback host \(localhost, 127\.0\.0\.0\/8, \[::1\]\)/,
    );
  });
});
