import { P99_MS, type RouteBench } from './route.js';

/**
 * The ceiling: a real route that answers small JSON from configuration, without touching the database,
 * so it measures Fastify, routing, hooks and serialization on this machine under the same load.
 */
export const ceilingRoute: RouteBench = {
  name: 'GET /boba_info (ceiling, no DB)',
  method: 'GET',
  path: '/boba_info',
  ceiling: true,
  targets: { maxP99Ms: P99_MS },
};

export const readRoutes: RouteBench[] = [
  { name: 'GET /users/100', method: 'GET', path: '/users/100', targets: { minRatio: 0.4, maxP99Ms: P99_MS } },
  { name: 'GET /users', method: 'GET', path: '/users', targets: { minRps: 300 } },
  { name: 'GET /users?page=3', method: 'GET', path: '/users?page=3', targets: { maxP99Ms: P99_MS } },
  { name: 'GET /skills', method: 'GET', path: '/skills', targets: { minRatio: 0.7, maxP99Ms: P99_MS } },
  { name: 'GET /skills?keyword=py', method: 'GET', path: '/skills?keyword=py', targets: { minRatio: 0.7, maxP99Ms: P99_MS } },
  {
    name: 'GET /checkin?participant_id=5',
    method: 'GET',
    path: '/checkin?participant_id=5',
    targets: { minRatio: 0.4, maxP99Ms: P99_MS },
  },
];
