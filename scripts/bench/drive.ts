import autocannon from 'autocannon';
import { AUTH_HEADERS, JSON_HEADERS } from './http.js';
import type { BenchContext, RequestSpec, RouteBench } from './route.js';
import type { TokenMove } from './token-book.js';

/** How long a draining run may take after its duration before autocannon cuts the connections anyway. */
const DRAIN_GRACE_SECONDS = 15;

/** autocannon's per-connection context, reset for each request: it carries the request's token move to its response. */
interface MoveContext {
  move?: TokenMove;
}

/** The autocannon request list for one route: a fixed request, or one made per request by `request(n)`. */
function autocannonRequests(route: RouteBench, counter: { n: number }, ctx: BenchContext): autocannon.Request[] {
  const toRequest = (spec: RequestSpec): autocannon.Request => ({
    method: route.method,
    path: route.path,
    // Whole headers every time: a request's `headers` replace autocannon's defaults rather than add to them.
    headers: { ...AUTH_HEADERS, ...(spec.body === undefined ? {} : JSON_HEADERS) },
    ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
  });
  if (!route.request) return [toRequest({})];
  const make = route.request;
  return [
    {
      setupRequest: (request, context) => {
        const spec = make(counter.n++, ctx);
        if (spec.tokens) {
          ctx.book.sent(spec.tokens);
          (context as MoveContext).move = spec.tokens;
        }
        return { ...request, ...toRequest(spec) };
      },
      onResponse: (status, _body, context) => {
        const move = (context as MoveContext).move;
        if (move) ctx.book.answered(move, status);
      },
    },
  ];
}

/** The fields of autocannon's Client that a draining run uses (not in its type definitions). */
interface DrainableClient {
  reqsMade: number;
  responseMax?: number;
}

/**
 * One autocannon run. A plain run ends the autocannon way: when the time is up the connections are destroyed
 * with a request in flight on each, whose response nobody sees though the server may well apply it; that is
 * harmless for reads and loses count of up to one write per connection. A draining run (`route.drain`)
 * instead tells every client, when the time is up, that the request it has in flight is its last; each
 * then closes once that is answered, so every write sent is accounted for.
 */
export async function drive(ctx: BenchContext, route: RouteBench, seconds: number, connections: number, counter: { n: number }) {
  const options: autocannon.Options = {
    url: ctx.baseUrl,
    connections,
    duration: seconds,
    headers: { ...AUTH_HEADERS },
    requests: autocannonRequests(route, counter, ctx),
  };
  if (!route.drain) {
    const result = await autocannon(options);
    return { result, rps: result.requests.average };
  }

  const clients: DrainableClient[] = [];
  const started = performance.now();
  let lastResponse = started;
  let drainTimer: NodeJS.Timeout | undefined;
  try {
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          ...options,
          // A backstop only: the clients normally finish right after the drain starts.
          duration: seconds + DRAIN_GRACE_SECONDS,
          setupClient: (client) => {
            clients.push(client as unknown as DrainableClient);
          },
        },
        (error: unknown, result) =>
          error ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error })) : resolve(result),
      );
      instance.on('response', () => {
        lastResponse = performance.now();
      });
      drainTimer = setTimeout(() => {
        for (const client of clients) client.responseMax = Math.max(1, client.reqsMade);
      }, seconds * 1000);
    });
    // autocannon's per-second average would count the second in which the drain ends as a whole one.
    const elapsed = (lastResponse - started) / 1000;
    return { result, rps: elapsed > 0 ? result.requests.total / elapsed : 0 };
  } finally {
    clearTimeout(drainTimer);
  }
}
