import * as z from 'zod/mini';
import './locale.js';

/**
 * An object schema for what we read: unknown members are kept at run time, so a newer server
 * adding fields breaks nobody, but the static type names only the known members, so a typo in
 * a member name is still a compile error (a plain `z.looseObject` would type every name as
 * `unknown`).
 */
export function tolerantObject<S extends z.core.$ZodShape>(
  shape: S,
): z.ZodMiniObject<S, z.core.$strip> {
  return z.looseObject(shape);
}
