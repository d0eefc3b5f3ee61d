import net from 'node:net';

/** What came back on a raw socket: the status line's code, headers, body, and whether it closed. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  closed: boolean;
}

/**
 * Writes `raw` bytes to the server on a fresh connection and reads one answer, for requests that
 * no HTTP client would send (oversized headers, broken request lines, undecodable paths).
 */
export function rawRequest(port: number, raw: string): Promise<RawAnswer> {
  // The answer to a HEAD has headers only, whatever its Content-Length says.
  const head = raw.startsWith('HEAD ');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(raw));
    let data = '';
    let closed = false;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const answer = parse(data, head);
      if (answer && !answer.headers.connection?.includes('close')) {
        socket.destroy();
        resolve({ ...answer, closed: false });
      }
    });
    socket.on('error', (error) => (data ? undefined : reject(error)));
    socket.on('close', () => {
      closed = true;
      const answer = parse(data, head);
      if (answer) resolve({ ...answer, closed });
      else reject(new Error(`no HTTP answer, got ${JSON.stringify(data.slice(0, 200))}`));
    });
  });
}

function parse(data: string, head: boolean): Omit<RawAnswer, 'closed'> | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = data.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = data.slice(end + 4);
  const length = head ? 0 : Number(headers['content-length'] ?? NaN);
  if (Number.isFinite(length) && Buffer.byteLength(body, 'latin1') < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}
