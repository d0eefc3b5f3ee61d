/** An issue as Standard Schema reports it. */
interface Issue {
  message: string;
  path?: readonly (PropertyKey | { key: PropertyKey })[];
}

/** What this module needs of a Standard Schema (zod, zod/mini, valibot…). */
interface StandardSchema {
  '~standard': {
    validate(value: unknown): { value?: unknown; issues?: readonly Issue[] } | Promise<unknown>;
  };
}

/** A validation's outcome: the value, or its issues (paths as keys, Standard Schema's form). */
export type Validated =
  | { value: unknown; error?: undefined }
  | { value?: undefined; error: { issues: readonly Issue[] } };

function isSchema(value: unknown): value is StandardSchema {
  return typeof value === 'object' && value !== null && '~standard' in value;
}

/**
 * `value` validated by `schema` when it is one (Standard Schema: zod, zod/mini, valibot…),
 * else as it is — what ts-rest's `validateIfSchema` does, without loading ts-rest.
 * @throws Error for a schema that validates asynchronously (none of the contracts' does)
 */
export function validateIfSchema(value: unknown, schema: unknown): Validated {
  if (!isSchema(schema)) return { value };
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) throw new Error('asynchronous schemas are not supported');
  return result.issues ? { error: { issues: result.issues } } : { value: result.value };
}

/**
 * An object validated member by member by a record of schemas (a route's `headers`), issue
 * paths starting with the member's name, the other members kept as they are.
 */
export function validateMembers(value: Record<string, unknown>, schemas: unknown): Validated {
  if (typeof schemas !== 'object' || schemas === null) return { value };
  if (isSchema(schemas)) return validateIfSchema(value, schemas);
  const out: Record<string, unknown> = { ...value };
  const issues: Issue[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    const result = validateIfSchema(value[name], schema);
    if (result.error) {
      for (const issue of result.error.issues) {
        issues.push({ ...issue, path: [name, ...(issue.path ?? [])] });
      }
    } else if (result.value !== undefined) out[name] = result.value;
  }
  return issues.length > 0 ? { error: { issues } } : { value: out };
}
