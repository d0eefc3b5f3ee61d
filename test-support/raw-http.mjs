// @ts-check
// The one raw-HTTP helper of every package's tests: bytes on a plain TCP socket, for requests no
// HTTP client would send (oversized headers, broken request lines, undecodable paths) and for
// requests sent in pieces (headers now, the body later, or never).
import net from 'node:net';

/**
 * Writes `raw` bytes to the server on a fresh connection and reads one answer.
 * @param {number} port
 * @param {string} raw
 * @returns {Promise<import('./raw-http.d.mts').RawAnswer>}
 */
export function rawRequest(port, raw) {
  // The answer to a HEAD has headers only, whatever its Content-Length says.
  const head = raw.startsWith('HEAD ');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(raw));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (/** @type {string} */ chunk) => {
      data += chunk;
      const answer = parse(data, head);
      if (answer && !answer.headers.connection?.includes('close')) {
        socket.destroy();
        resolve({ ...answer, closed: false });
      }
    });
    socket.on('error', (error) => (data ? undefined : reject(error)));
    socket.on('close', () => {
      const answer = parse(data, head);
      if (answer) resolve({ ...answer, closed: true });
      else reject(new Error(`no HTTP answer, got ${JSON.stringify(data.slice(0, 200))}`));
    });
  });
}

/**
 * @param {string} data
 * @param {boolean} head
 * @returns {Omit<import('./raw-http.d.mts').RawAnswer, 'closed'> | undefined}
 */
function parse(data, head) {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = data.slice(0, end).split('\r\n');
  /** @type {Record<string, string>} */
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = data.slice(end + 4);
  const length = head ? 0 : Number(headers['content-length'] ?? NaN);
  if (Number.isFinite(length) && Buffer.byteLength(body, 'latin1') < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

/**
 * An open connection to write a request in pieces: resolves once connected. `received()` is
 * everything read so far (latin1), `sees(text)` resolves once it contains `text`, `closed`
 * once the server has closed the connection.
 * @param {number} port
 * @param {string} [host]
 * @returns {Promise<import('./raw-http.d.mts').RawConnection>}
 */
export async function rawConnection(port, host = '127.0.0.1') {
  const socket = net.connect(port, host);
  let data = '';
  /** @type {Set<() => void>} */
  const readers = new Set();
  socket.setEncoding('latin1');
  socket.on('data', (/** @type {string} */ chunk) => {
    data += chunk;
    for (const read of readers) read();
  });
  socket.on('error', () => {}); // a reset is seen as `closed`
  const closed = new Promise((resolve) => socket.once('close', () => resolve(undefined)));
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('error', reject);
  });
  return {
    write: (text) => void socket.write(text),
    received: () => data,
    sees: (text) =>
      new Promise((resolve, reject) => {
        const read = () => {
          if (!data.includes(text)) return;
          readers.delete(read);
          resolve();
        };
        readers.add(read);
        read();
        void closed.then(() => {
          if (readers.delete(read)) reject(new Error(`closed before ${JSON.stringify(text)}`));
        });
      }),
    closed: /** @type {Promise<void>} */ (closed),
    destroy: () => void socket.destroy(),
  };
}
