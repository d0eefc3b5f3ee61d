/**
 * The subset of JSON Schema (2020-12) the OpenAPI document's request schemas use, for the fuzz
 * test: what it generates from, and what it judges requests by. `format` is an annotation in
 * 2020-12 (it asserts nothing), so neither generator nor judge relies on it.
 */
export interface RequestSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  enum?: readonly unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: RequestSchema;
  properties?: Record<string, RequestSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | object;
}

const KNOWN_KEYWORDS = new Set([
  'type',
  'enum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'default',
  'description',
]);

/** The keywords of `schema` (deeply) this judge does not know: the test fails on any. */
export function unknownKeywords(schema: object, path = '#'): string[] {
  return Object.entries(schema).flatMap(([key, value]): string[] => {
    if (!KNOWN_KEYWORDS.has(key)) return [`${path}/${key}`];
    if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      return unknownKeywords(value as object, `${path}/${key}`);
    }
    if (key === 'properties') {
      return Object.entries(value as object).flatMap(([name, property]) =>
        unknownKeywords(property as object, `${path}/properties/${name}`),
      );
    }
    return [];
  });
}

const typeOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** JSON Schema counts a string's length in code points, not UTF-16 units. */
const codePoints = (value: string) => [...value].length;

/** Whether the document allows `value`; the first reason it does not, else `undefined`. */
export function refusal(schema: RequestSchema, value: unknown, path = 'body'): string | undefined {
  const type = schema.type;
  if (type === 'integer' && !Number.isInteger(value)) return `${path}: not an integer`;
  if (type === 'number' && typeof value !== 'number') return `${path}: not a number`;
  if (type && type !== 'integer' && type !== 'number' && typeOf(value) !== type) {
    return `${path}: not ${type}`;
  }
  if (schema.enum && !schema.enum.includes(value)) return `${path}: not in the enum`;
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && codePoints(value) < schema.minLength) {
      return `${path}: shorter than ${schema.minLength}`;
    }
    if (schema.maxLength !== undefined && codePoints(value) > schema.maxLength) {
      return `${path}: longer than ${schema.maxLength}`;
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      return `${path}: does not match the pattern`;
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${path}: below minimum`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${path}: above maximum`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${path}: too few`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${path}: too many`;
    for (const [i, item] of value.entries()) {
      const reason = schema.items && refusal(schema.items, item, `${path}.${i}`);
      if (reason) return reason;
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (!(name in object)) return `${path}.${name}: missing`;
    }
    for (const [name, member] of Object.entries(object)) {
      const property = schema.properties?.[name];
      if (!property && schema.additionalProperties === false) return `${path}.${name}: unknown`;
      const reason = property && refusal(property, member, `${path}.${name}`);
      if (reason) return reason;
    }
  }
  return undefined;
}
