const JSON_TYPE = /^application\/(?:json|[^\s/;]+\+json)$/i;

/**
 * Whether a `Content-Type` value names JSON: `application/json` or `application/*+json`, with
 * any parameters (`; charset=utf-8`). Neither is a type a browser may send cross-origin without
 * a preflight.
 */
export function isJsonMediaType(contentType: string | undefined | null): boolean {
  const mime = (contentType ?? '').split(';', 1)[0]!.trim();
  return JSON_TYPE.test(mime);
}
