import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the held receiver has read but not answered yet. */
export interface HeldRequest {
  body: string;
  /** Answers it with `status` (default 200). */
  answer(status?: number): void;
}

/**
 * A webhook receiver that answers nothing until the test says so: every request is read, kept in
 * `held` in arrival order, and announced to `onArrival` listeners.
 */
export async function startHeldReceiver() {
  const held: HeldRequest[] = [];
  const arrivals = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      held.push({ body, answer: (status = 200) => res.writeHead(status).end('ok') });
      for (const notify of arrivals) notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  /** Resolves once `count` requests have arrived in all. */
  const arrived = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (held.length < count) return;
        arrivals.delete(check);
        resolve();
      };
      arrivals.add(check);
      check();
    });
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    held,
    arrived,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
