import type { TrustProxy } from '../../config.js';

type FastifyTrustProxy = false | string[] | ((address: string, hop: number) => boolean);

/**
 * TRUST_PROXY as Fastify's trustProxy. Fastify 5 trusts no hop at all when given a bare count (it cannot
 * tell whether the nearest peer is a proxy), so a count becomes a function trusting that many hops from the
 * socket: the client is then the rightmost X-Forwarded-For address those proxies did not add. That is only
 * sound when nothing but the proxies can reach the port; a list of proxy addresses holds even when others can.
 */
export function fastifyTrustProxy(trust: TrustProxy): FastifyTrustProxy {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust === false ? false : [...trust];
}
