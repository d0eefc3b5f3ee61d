import * as z from 'zod/mini';

/**
 * `schema` with a description, as classic zod's `.describe(text)` does it: a clone registered in
 * zod's global registry (where `z.toJSONSchema` and the OpenAPI document read it), no check added.
 */
export function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  const clone = schema.clone();
  z.globalRegistry.add(clone, { description });
  return clone;
}

/** `schema` with a JSON Schema `format` (an annotation for readers of the document), no check added. */
export function formatted<T extends z.ZodMiniType>(schema: T, format: string): T {
  const clone = schema.clone();
  z.globalRegistry.add(clone, { format });
  return clone;
}
