/**
 * The subset of JSON Schema (2020-12) that the contracts' generated schemas use: `type`,
 * `const`, `minLength`, `pattern`, `minimum`/`maximum`, `properties`/`required`, `items`,
 * `anyOf`, `oneOf`. Anything else in a schema is ignored (unknown members stay allowed).
 */
export interface JsonSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';
  const?: unknown;
  minLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  items?: JsonSchema;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
}

/** Why a value does not match: where (dotted path) and what. */
export interface SchemaProblem {
  path: string;
  message: string;
}

const typeOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

function matchesType(type: NonNullable<JsonSchema['type']>, value: unknown): boolean {
  if (type === 'integer') return Number.isSafeInteger(value);
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeOf(value) === type;
}

/**
 * The first problem of `value` against `schema`, or `undefined` when it matches. Small enough
 * for a browser bundle where a schema library is not: the contracts generate the schemas it
 * reads from their zod schemas, and a test holds both to the same verdicts.
 */
export function checkJsonSchema(
  schema: JsonSchema,
  value: unknown,
  path: readonly (string | number)[] = [],
): SchemaProblem | undefined {
  const at = (message: string): SchemaProblem => ({ path: path.join('.'), message });
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) {
    const problems = branches.map((branch) => checkJsonSchema(branch, value, path));
    if (problems.some((problem) => problem === undefined)) return undefined;
    // The branch whose constants the value carries says best what is wrong with it.
    return problems.find((problem) => problem && problem.path !== path.join('.')) ?? problems[0];
  }
  if (schema.type && !matchesType(schema.type, value)) {
    return at(`expected ${schema.type}, received ${typeOf(value)}`);
  }
  if ('const' in schema && value !== schema.const) {
    return at(`expected ${JSON.stringify(schema.const)}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      return at(`expected at least ${schema.minLength} characters`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
      return at(`does not match ${schema.pattern}`);
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      return at(`expected at least ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      return at(`expected at most ${schema.maximum}`);
    }
  }
  if (Array.isArray(value) && schema.items) {
    for (const [index, item] of value.entries()) {
      const problem = checkJsonSchema(schema.items, item, [...path, index]);
      if (problem) return problem;
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (!Object.prototype.hasOwnProperty.call(object, name)) {
        return { path: [...path, name].join('.'), message: 'required' };
      }
    }
    for (const [name, member] of Object.entries(schema.properties ?? {})) {
      if (object[name] === undefined) continue;
      const problem = checkJsonSchema(member, object[name], [...path, name]);
      if (problem) return problem;
    }
  }
  return undefined;
}
