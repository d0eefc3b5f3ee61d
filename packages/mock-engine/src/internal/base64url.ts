/** `bytes` in unpadded base64url (RFC 4648 §5), through `btoa` (browsers, Node, workers). */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  // One global replace builds a new string, rather than a slice that keeps its padded parent.
  return btoa(binary).replace(/[+/=]/g, (char) => (char === '+' ? '-' : char === '/' ? '_' : ''));
}
