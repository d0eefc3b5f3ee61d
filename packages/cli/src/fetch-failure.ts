/** Why a `fetch` failed, in its own words: the network error it wraps as `cause`, if any. */
export function causeMessage(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
