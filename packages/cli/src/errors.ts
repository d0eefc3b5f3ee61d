/** Exit codes of every `eggapi` command (fixed by the interface: scripts read them). */
export const EXIT = {
  /** The command did what it was asked. */
  ok: 0,
  /** An API error, a failed or timed-out task, a download or a verification failure. */
  failure: 1,
  /** Bad usage: an unknown command or option, a missing or malformed value. */
  usage: 2,
} as const;

/** A usage mistake found after parsing (a missing API key, a malformed value): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A failure the command has already explained in its message (a download that failed, a task
 * without images): exit 1.
 */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
}
