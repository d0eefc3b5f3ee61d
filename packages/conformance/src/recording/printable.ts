/** The most characters of one line of the report taken from a recording. */
const MAX_LINE_CHARS = 500;

// Control characters (C0, DEL, C1), line separators and bidirectional overrides: text from a
// recording must not move the cursor, colour a terminal or reorder what a reader sees.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with unprintable characters escaped (`\u001b`) and cut to a readable length. */
export function printable(text: string): string {
  const escaped = text.replace(
    UNPRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.length > MAX_LINE_CHARS ? `${escaped.slice(0, MAX_LINE_CHARS)}…` : escaped;
}
