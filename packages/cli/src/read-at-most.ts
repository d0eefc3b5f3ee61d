/**
 * Reads an answer's body up to `maxBytes`, cancelling the rest: a server's answer may be
 * endless. `cut` says whether there was more.
 */
export async function readAtMost(
  answer: Response,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; cut: boolean }> {
  const reader = (answer.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (!reader) return { bytes: new Uint8Array(0), cut: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return { bytes: Buffer.concat(chunks).subarray(0, maxBytes), cut: true };
    }
  }
  return { bytes: Buffer.concat(chunks), cut: false };
}
