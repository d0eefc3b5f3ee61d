import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startReceiver as startSharedReceiver,
  type Receiver,
} from '../../../../test-support/receiver.mjs';

export type { Receiver };

/** How the receiver answers one request: a status (body `ok`), a status and body, or never. */
export type Answer = number | { status: number; body: string } | 'hang';

/**
 * A real webhook receiver on port 0 (the workspace's one, `test-support/receiver.mjs`).
 * `answers` scripts the answer per request in order ('hang' never answers); after the script it
 * answers 200.
 */
export function startReceiver(answers: Answer[] = []): Promise<Receiver> {
  return startSharedReceiver({
    reply: (_request, index) => {
      const answer = answers[index] ?? 200;
      return answer === 'hang' ? 'hold' : answer;
    },
  });
}

/**
 * A receiver that answers nothing until the test says so: every request is kept in `held` in
 * arrival order (`held[n].answer(status)`); `arrived(count)` resolves once `count` have come.
 */
export function startHeldReceiver(): Promise<Receiver> {
  return startSharedReceiver({ reply: () => 'hold', path: '/hooks' });
}

/** A loopback URL where nothing listens. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hooks`;
}
