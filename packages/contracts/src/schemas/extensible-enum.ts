import * as z from 'zod/mini';

/**
 * The JSON Schema keyword (Zalando's API guidelines' name) that marks an `enum` as open: newer
 * servers may add values. The OpenAPI document publishes such a field as `enum` plus this marker,
 * so generated types keep the documented values, while our own readers accept any string.
 */
export const EXTENSIBLE_ENUM_KEYWORD = 'x-extensible-enum';

/** A value of an open enum: one of `T`, or a string a newer server may add. */
export type Extensible<T extends string> = T | (string & {});

/**
 * A tolerant string field with documented values: any string passes at run time, the static
 * type names the known values (so editors complete them), and the OpenAPI document lists them.
 */
export function extensibleEnum<const T extends readonly [string, ...string[]]>(
  values: T,
  description: string,
): z.ZodMiniType<Extensible<T[number]>, Extensible<T[number]>> {
  const schema = z.union([z.enum(values), z.string()]);
  z.globalRegistry.add(schema, { description, [EXTENSIBLE_ENUM_KEYWORD]: [...values] });
  return schema;
}
