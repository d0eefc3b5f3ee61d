import fc from 'fast-check';
import type { RequestSchema } from './document-schema.js';

/**
 * fast-check arbitraries from the document's request schemas (the subset of document-schema.ts):
 * `allowed` gives values the schema allows; `nearMiss` gives values on both sides of each rule
 * (a bound ± a few, a wrong type, a URL of another kind), to be judged by the document itself.
 */

/** Strings shaped like URLs, of every kind the URL rules tell apart: scheme, host, port, rest. */
const URL_CANDIDATES = fc.oneof(
  fc.webUrl({
    validSchemes: ['http', 'https', 'ftp', 'ws'],
    withQueryParameters: true,
    withFragments: true,
    authoritySettings: {
      withIPv4: true,
      withIPv4Extended: true,
      withUserInfo: true,
      withPort: true,
    },
  }),
  fc
    .tuple(
      fc.constantFrom('http', 'https', 'HTTP', 'Https', 'ftp', 'file', ' https'),
      fc.constantFrom(
        'localhost',
        'LocalHost',
        '127.0.0.1',
        '127.8.9.10',
        '[::1]',
        '128.0.0.1',
        '10.0.0.1',
        '127.1',
        'localhost.example.com',
        'a.example',
        'user:pw@a.example',
        'xn--a.example',
        'a.example.1',
        '[2001:db8::1]',
      ),
      fc.constantFrom('', ':0', ':80', ':65535', ':65536', ':99999'),
      fc.constantFrom('', '/', '/hook', '/a b', '/x?y=1#z', '?q', '#f', '/é', ' '),
    )
    .map(([scheme, host, port, rest]) => `${scheme}://${host}${port}${rest}`),
);

function allowedString(schema: RequestSchema): fc.Arbitrary<string> {
  const { minLength = 0, maxLength = 10_000 } = schema;
  const fits = (value: string) => {
    const length = [...value].length;
    return length >= minLength && length <= maxLength;
  };
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern, 'u');
    const source = schema.format === 'uri' ? URL_CANDIDATES : fc.stringMatching(pattern);
    return source.filter((value) => pattern.test(value) && fits(value));
  }
  // Any code point (astral ones count once in JSON Schema), short or at the bound.
  return fc.oneof(
    fc.string({ unit: 'binary', minLength, maxLength }),
    fc.string({ unit: 'binary', minLength: Math.max(minLength, maxLength - 3), maxLength }),
  );
}

/** Values `schema` allows. */
export function allowed(schema: RequestSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      return allowedString(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'array':
      return fc.array(allowed(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: schema.maxItems ?? 10,
      });
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      return fc.record(
        Object.fromEntries(properties.map(([name, property]) => [name, allowed(property)])),
        { requiredKeys: [...(schema.required ?? [])] },
      );
    }
    default:
      return fc.jsonValue();
  }
}

const WRONG_TYPES = fc.constantFrom<unknown>(null, true, 0, 1.5, 'x', '', [], {});

function nearMissString(schema: RequestSchema): fc.Arbitrary<unknown> {
  const { minLength = 0, maxLength } = schema;
  const candidates: fc.Arbitrary<unknown>[] = [
    fc.string({ unit: 'binary', maxLength: Math.max(minLength, 3) }),
  ];
  if (maxLength !== undefined) {
    candidates.push(
      fc.string({ unit: 'binary', minLength: maxLength - 2, maxLength: maxLength + 2 }),
      // Astral characters: 2 UTF-16 units each, 1 code point for JSON Schema.
      fc.string({
        unit: fc.constantFrom('😀', 'a'),
        minLength: maxLength - 2,
        maxLength: maxLength + 2,
      }),
    );
  }
  if (schema.enum) {
    candidates.push(
      fc.constantFrom(
        ...schema.enum.flatMap((value) => [`${String(value)} `, String(value).toUpperCase()]),
      ),
    );
  }
  if (schema.pattern !== undefined) candidates.push(URL_CANDIDATES);
  return fc.oneof(...candidates);
}

/** Values on both sides of `schema`'s rules, and of the wrong type. */
export function nearMiss(schema: RequestSchema): fc.Arbitrary<unknown> {
  const own: fc.Arbitrary<unknown>[] = [allowed(schema), WRONG_TYPES];
  if (schema.type === 'string') own.push(nearMissString(schema));
  if (schema.type === 'integer') {
    const { minimum = -1_000, maximum = 1_000 } = schema;
    own.push(
      fc.integer({ min: minimum - 3, max: minimum + 1 }),
      fc.integer({ min: maximum - 1, max: maximum + 3 }),
      fc.double({ min: minimum - 1, max: maximum + 1, noNaN: true }),
    );
  }
  if (schema.type === 'array') {
    own.push(fc.array(nearMiss(schema.items ?? {}), { maxLength: (schema.maxItems ?? 10) + 2 }));
  }
  return fc.oneof(...own);
}

/** An object `schema` allows, changed at most at one place: a member near a rule, one missing, one unknown. */
export function nearMissObject(schema: RequestSchema): fc.Arbitrary<Record<string, unknown>> {
  const base = allowed(schema) as fc.Arbitrary<Record<string, unknown>>;
  const properties = Object.entries(schema.properties ?? {});
  const changes: fc.Arbitrary<(value: Record<string, unknown>) => Record<string, unknown>>[] = [
    fc.constant((value) => value),
    ...properties.map(([name, property]) =>
      nearMiss(property).map((member) => (value: Record<string, unknown>) => ({
        ...value,
        [name]: member,
      })),
    ),
    fc.constantFrom(...properties.map(([name]) => name)).map((name) => (value) => {
      const { [name]: _removed, ...rest } = value;
      return rest;
    }),
    fc.constantFrom('extra', 'Model', '__proto__x').map((name) => (value) => ({
      ...value,
      [name]: 1,
    })),
  ];
  return fc.tuple(base, fc.oneof(...changes)).map(([value, change]) => change(value));
}
