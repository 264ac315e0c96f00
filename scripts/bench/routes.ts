import { loanRoute } from './loan-route.js';
import { ceilingRoute, readRoutes } from './read-routes.js';
import type { RouteBench } from './route.js';
import { scanRoute } from './scan-route.js';
import { writeRoutes } from './write-routes.js';

/**
 * Every route the bench measures, in order. To add one, add an entry to read-routes.ts or write-routes.ts:
 * a fixed `path`, a `request` function that makes the n-th request's body (unique e-mails for POST /register,
 * for example), and an optional `setup` run once against the started server before the warm-up. A request
 * that moves tokens says how (`tokens`), and its route sets `drain`, so that the check after the run can
 * account for every token. A route whose refusals are part of the load lists the statuses it expects
 * (`expectedStatuses`), and a route that writes something else checks it after the run (`check`).
 */
function allRoutes(): RouteBench[] {
  // Writes come last so the reads see the imported data as it is.
  return [ceilingRoute, ...readRoutes, ...writeRoutes(), scanRoute(), loanRoute()];
}

/** The routes BENCH_ROUTES names (all when unset), the ceiling always among them. */
export function selectedRoutes(filter: string | undefined): RouteBench[] {
  const routes = allRoutes();
  const texts = (filter ?? '')
    .split(',')
    .map((text) => text.trim())
    .filter(Boolean);
  if (texts.length === 0) return routes;
  const chosen = routes.filter((route) => route.ceiling || texts.some((text) => route.name.includes(text)));
  if (chosen.length === 1)
    throw new Error(`BENCH_ROUTES="${filter}" names no route; routes: ${routes.map((r) => r.name).join(', ')}`);
  return chosen;
}
