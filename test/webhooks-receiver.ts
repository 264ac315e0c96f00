import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers a request: a status (with an optional body), or never. */
export type Answer = { status: number; body?: string } | 'hang';
type Behaviour = (request: ReceivedWebhook, nth: number) => Answer | Promise<Answer>;
const answerOk: Behaviour = () => ({ status: 200 });

/**
 * A local webhook receiver: records every request by path and answers as the path's behaviour says
 * (200 by default). Requests it never answers stay open until it closes.
 */
export async function startReceiver() {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<ServerResponse>();
  const behaviours = new Map<string, Behaviour>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const nth = received.filter((r) => r.path === request.path).length;
      void Promise.resolve((behaviours.get(request.path) ?? answerOk)(request, nth)).then((answer) => {
        if (answer === 'hang') {
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    /** Requests it has not answered and whose sender is still waiting. */
    hanging,
    at: (path: string) => received.filter((request) => request.path === path),
    answer(path: string, behaviour: Behaviour) {
      behaviours.set(path, behaviour);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** A loopback URL nothing listens on: a receiver that is down. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/down`;
}
