import { describe, expect, it } from 'vitest';
import { CliError, parseCli } from './options.js';

describe('parseCli', () => {
  it('has the documented defaults', () => {
    expect(parseCli([], {}, false).options).toEqual({
      port: 4010,
      host: '127.0.0.1',
      apiKeys: ['sk_test_eggapi'],
      timing: 'realistic',
      logLevel: 'info',
      prettyLogs: false,
      rateLimit: false,
    });
  });

  it('reads every fixed flag', () => {
    const { options } = parseCli(
      [
        '--port',
        '5000',
        '--host',
        '0.0.0.0',
        '--api-key',
        'sk_a',
        '--api-key',
        'sk_b',
        '--webhook-secret',
        'whsec',
        '--timing',
        'fast',
        '--seed',
        '7',
      ],
      {},
      true,
    );
    expect(options).toMatchObject({
      port: 5000,
      host: '0.0.0.0',
      apiKeys: ['sk_a', 'sk_b'],
      webhookSecret: 'whsec',
      timing: 'fast',
      seed: '7',
      prettyLogs: true,
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      PORT: '6000',
      HOST: '::1',
      EGGAPI_API_KEYS: 'sk_x, sk_y,',
      EGGAPI_WEBHOOK_SECRET: 'from-env',
      EGGAPI_TIMING: 'instant',
      EGGAPI_SEED: 'abc',
    };
    expect(parseCli([], env, false).options).toMatchObject({
      port: 6000,
      host: '::1',
      apiKeys: ['sk_x', 'sk_y'],
      webhookSecret: 'from-env',
      timing: 'instant',
      seed: 'abc',
    });
    expect(parseCli(['--port', '7000', '--timing', 'fast'], env, false).options).toMatchObject({
      port: 7000,
      timing: 'fast',
    });
  });

  it.each([
    [['--port', 'x']],
    [['--port', '70000']],
    [['--timing', 'warp']],
    [['--unknown']],
    [['positional']],
    [['--log-format', 'xml']],
  ])('refuses %j with a CliError', (argv) => {
    expect(() => parseCli(argv, {}, false)).toThrow(CliError);
  });

  it('reads --journal-size or EGGAPI_JOURNAL_SIZE (0 turns the journal off), the flag winning', () => {
    expect(parseCli(['--journal-size', '50'], {}, false).options.journalSize).toBe(50);
    expect(parseCli([], { EGGAPI_JOURNAL_SIZE: '0' }, false).options.journalSize).toBe(0);
    expect(
      parseCli(['--journal-size', '7'], { EGGAPI_JOURNAL_SIZE: '9' }, false).options.journalSize,
    ).toBe(7);
    expect(parseCli([], {}, false).options.journalSize).toBeUndefined();
  });

  it.each([['-1'], ['1.5'], ['x'], ['100001']])('refuses --journal-size %s', (value) => {
    expect(() => parseCli([`--journal-size=${value}`], {}, false)).toThrow(
      `--journal-size must be an integer from 0 to 100000, got "${value}"`,
    );
  });

  it('recognises --help', () => {
    expect(parseCli(['-h'], {}, false).help).toBe(true);
  });
});

describe('parseCli: the clock', () => {
  it('reads --clock or EGGAPI_CLOCK, the flag winning', () => {
    expect(parseCli(['--clock', 'virtual'], {}, false).options.clock).toBe('virtual');
    expect(parseCli([], { EGGAPI_CLOCK: 'virtual' }, false).options.clock).toBe('virtual');
    expect(parseCli(['--clock', 'real'], { EGGAPI_CLOCK: 'virtual' }, false).options.clock).toBe(
      'real',
    );
    expect(parseCli([], { EGGAPI_CLOCK: '' }, false).options).not.toHaveProperty('clock');
  });

  it.each([
    [['--clock', 'frozen'], {}, 'frozen'],
    [['--clock', 'Virtual'], {}, 'Virtual'],
    [[], { EGGAPI_CLOCK: 'fake' }, 'fake'],
  ])('refuses %j %j, naming the modes', (argv, env, given) => {
    expect(() => parseCli(argv, env, false)).toThrow(
      new CliError(`--clock must be one of real, virtual, got "${given}"`),
    );
  });

  it('refuses a virtual clock with Redis, saying why', () => {
    for (const [argv, env] of [
      [['--clock', 'virtual', '--redis-url', 'redis://127.0.0.1:6379'], {}],
      [[], { EGGAPI_CLOCK: 'virtual', EGGAPI_REDIS_URL: 'redis://127.0.0.1:6379' }],
    ] as const) {
      expect(() => parseCli([...argv], env, false)).toThrow(
        /--clock virtual cannot be used with --redis-url .*Redis time across instances/,
      );
    }
    expect(
      parseCli(['--clock', 'real', '--redis-url', 'redis://127.0.0.1:6379'], {}, false).options,
    ).toMatchObject({ clock: 'real', redis: { url: 'redis://127.0.0.1:6379' } });
  });
});

describe('parseCli: the Redis store', () => {
  it('reads --redis-url, --redis-prefix and --redis-lock, or their environment variables', () => {
    expect(
      parseCli(
        ['--redis-url', 'redis://r:6379', '--redis-prefix', 'staging', '--redis-lock', '1000'],
        {},
        false,
      ).options.redis,
    ).toEqual({ url: 'redis://r:6379', prefix: 'staging', lockMs: 1_000 });
    expect(
      parseCli(
        [],
        {
          EGGAPI_REDIS_URL: 'redis://env:6379',
          EGGAPI_REDIS_PREFIX: 'ci',
          EGGAPI_REDIS_LOCK_MS: '500',
        },
        false,
      ).options.redis,
    ).toEqual({ url: 'redis://env:6379', prefix: 'ci', lockMs: 500 });
    expect(parseCli([], {}, false).options.redis).toBeUndefined();
  });

  it('reads --redis-timeout or EGGAPI_REDIS_TIMEOUT_MS, and refuses it out of range or without a URL', () => {
    expect(
      parseCli(['--redis-url', 'redis://r', '--redis-timeout', '250'], {}, false).options.redis,
    ).toEqual({ url: 'redis://r', timeoutMs: 250 });
    expect(
      parseCli([], { EGGAPI_REDIS_URL: 'redis://r', EGGAPI_REDIS_TIMEOUT_MS: '2000' }, false)
        .options.redis,
    ).toEqual({ url: 'redis://r', timeoutMs: 2_000 });
    for (const bad of ['0', '49', '60001', '1.5', 'soon', '']) {
      expect(() =>
        parseCli(['--redis-url', 'redis://r', '--redis-timeout', bad], {}, false),
      ).toThrow(/--redis-timeout/);
    }
    expect(() => parseCli(['--redis-timeout', '500'], {}, false)).toThrow(
      /--redis-timeout need --redis-url/,
    );
  });

  it('refuses a prefix or lock without a URL, and a lock out of range', () => {
    expect(() => parseCli(['--redis-prefix', 'x'], {}, false)).toThrow(CliError);
    expect(() => parseCli(['--redis-url', 'redis://r', '--redis-lock', '5'], {}, false)).toThrow(
      /--redis-lock must be an integer from 200/,
    );
  });
  it('reads --replay, --replay-key and --replay-fallback or their environment', () => {
    expect(parseCli(['--replay', 'rec'], {}, false).options).toMatchObject({ replay: 'rec' });
    expect(parseCli(['--replay', 'rec'], {}, false).options).not.toHaveProperty('replayKey');
    expect(
      parseCli(
        ['--replay', 'rec', '--replay-key', 'sk_l…ord01', '--replay-fallback', 'mock'],
        {},
        false,
      ).options,
    ).toMatchObject({ replay: 'rec', replayKey: 'sk_l…ord01', replayFallback: 'mock' });
    expect(
      parseCli(
        ['--replay', 'rec', '--replay-key', 'sk_l…ord01=sk_a=b', '--replay-key', 'sk_t…ggapi=sk_c'],
        {},
        false,
      ).options.replayKey,
    ).toEqual({ 'sk_l…ord01': 'sk_a=b', 'sk_t…ggapi': 'sk_c' });
    expect(
      parseCli(
        [],
        {
          EGGAPI_REPLAY: 'env-rec',
          EGGAPI_REPLAY_KEY: 'sk_l…ord01=sk_a, sk_t…ggapi=sk_b',
          EGGAPI_REPLAY_FALLBACK: 'none',
        },
        false,
      ).options,
    ).toMatchObject({
      replay: 'env-rec',
      replayKey: { 'sk_l…ord01': 'sk_a', 'sk_t…ggapi': 'sk_b' },
      replayFallback: 'none',
    });
  });

  it.each([
    [['--replay-key', 'sk_l…ord01'], /need --replay/],
    [['--replay-fallback', 'mock'], /need --replay/],
    [
      ['--replay', 'rec', '--replay-fallback', 'proxy'],
      /--replay-fallback must be one of none, mock/,
    ],
    [['--replay', 'rec', '--replay-key', 'a', '--replay-key', 'b'], /--replay-key takes one/],
    [['--replay', 'rec', '--replay-key', 'a=k', '--replay-key', 'a=j'], /maps a twice/],
    [['--replay', 'rec', '--replay-key', '=k'], /--replay-key takes one/],
    [['--replay', 'rec', '--redis-url', 'redis://r'], /--replay cannot be used with --redis-url/],
    [
      ['--replay', 'rec', '--proxy-to', 'http://127.0.0.1:1'],
      /--replay cannot be used with --proxy-to/,
    ],
  ])('refuses the replay flags %j', (argv, message) => {
    expect(() => parseCli(argv, {}, false)).toThrow(message);
    expect(() => parseCli(argv, {}, false)).toThrow(CliError);
  });
});

describe('parseCli: the validating proxy and recording', () => {
  it('reads --proxy-to, --proxy-errors, --proxy-timeout (seconds) and --record', () => {
    const { options } = parseCli(
      [
        '--proxy-to',
        'https://api.eggapi.ai',
        '--proxy-errors',
        '--proxy-timeout',
        '2.5',
        '--record',
        './rec',
      ],
      {},
      false,
    );
    expect(options).toMatchObject({
      proxyTo: 'https://api.eggapi.ai',
      proxyErrors: true,
      proxyTimeoutMs: 2_500,
      record: './rec',
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      EGGAPI_PROXY_TO: 'http://127.0.0.1:9000/base',
      EGGAPI_PROXY_ERRORS: 'true',
      EGGAPI_PROXY_TIMEOUT: '1',
      EGGAPI_RECORD_DIR: '/tmp/rec',
    };
    expect(parseCli([], env, false).options).toMatchObject({
      proxyTo: 'http://127.0.0.1:9000/base',
      proxyErrors: true,
      proxyTimeoutMs: 1_000,
      record: '/tmp/rec',
    });
    expect(
      parseCli(['--proxy-to', 'https://api.eggapi.ai', '--proxy-timeout', '3'], env, false).options,
    ).toMatchObject({ proxyTo: 'https://api.eggapi.ai', proxyTimeoutMs: 3_000 });
    expect(parseCli([], { ...env, EGGAPI_PROXY_ERRORS: '0' }, false).options.proxyErrors).toBe(
      false,
    );
  });

  it.each([
    [['--record', './rec'], /--record needs --proxy-to/],
    [['--proxy-errors'], /need --proxy-to/],
    [['--proxy-timeout', '5'], /need --proxy-to/],
    [['--proxy-to', 'ftp://x'], /--proxy-to must be an http/],
    [['--proxy-to', 'https://api.eggapi.ai/?a=1'], /--proxy-to must be/],
    [['--proxy-to', 'https://api.eggapi.ai/#x'], /--proxy-to must be/],
    [['--proxy-to', 'https://user:pw@api.eggapi.ai'], /--proxy-to must be/],
    [['--proxy-to', 'not a url'], /--proxy-to must be/],
    [['--proxy-to', 'https://api.eggapi.ai', '--proxy-timeout', '0'], /0.01 to 600/],
    [['--proxy-to', 'https://api.eggapi.ai', '--proxy-timeout', '601'], /0.01 to 600/],
    [['--proxy-to', 'https://api.eggapi.ai', '--proxy-timeout', '1e3'], /0.01 to 600/],
    [
      ['--proxy-to', 'https://api.eggapi.ai', '--redis-url', 'redis://127.0.0.1:6379'],
      /cannot be used with --redis-url/,
    ],
  ])('refuses %j with a CliError saying why', (argv, why) => {
    expect(() => parseCli(argv, {}, false)).toThrow(CliError);
    expect(() => parseCli(argv, {}, false)).toThrow(why);
  });

  it('refuses an EGGAPI_PROXY_ERRORS that is not a yes or a no', () => {
    expect(() =>
      parseCli(
        [],
        { EGGAPI_PROXY_TO: 'https://api.eggapi.ai', EGGAPI_PROXY_ERRORS: 'maybe' },
        false,
      ),
    ).toThrow(/EGGAPI_PROXY_ERRORS must be/);
  });
});
