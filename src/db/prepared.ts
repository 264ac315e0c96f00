import type { Compilable, CompiledQuery } from 'kysely';
import type { Executor } from './tables.js';

/** Stands in for one value of the parameters while the query is built and compiled. */
class Slot {
  constructor(readonly index: number) {}
}

interface Prepared {
  /** The query as first compiled; each run sends it with its own values. */
  query: CompiledQuery;
  /** For each parameter of the compiled SQL: the index of the value it takes, or a constant of the query. */
  parameters: Array<Slot | { constant: unknown }>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Collects the leaves of `params` in order (arrays and plain objects are walked; undefined is left to the
 * query builder, which skips it) and returns a key naming its shape: same key, same SQL.
 */
function flatten(params: unknown, leaves: unknown[]): string {
  if (Array.isArray(params)) return `[${params.map((item) => flatten(item, leaves)).join(',')}]`;
  if (isPlainObject(params)) {
    let key = '{';
    for (const name in params) key += `${name}:${flatten(params[name], leaves)},`;
    return `${key}}`;
  }
  if (params === undefined) return 'u';
  leaves.push(params);
  return '';
}

/** `params` with each leaf replaced by its Slot, in the order `flatten` collects them. */
function toSlots(params: unknown, next: { index: number }): unknown {
  if (Array.isArray(params)) return params.map((item) => toSlots(item, next));
  if (isPlainObject(params)) {
    const mirror: Record<string, unknown> = {};
    for (const name in params) mirror[name] = toSlots(params[name], next);
    return mirror;
  }
  return params === undefined ? undefined : new Slot(next.index++);
}

function prepare(query: Compilable<unknown>, leafCount: number): Prepared {
  const compiled = query.compile();
  const parameters = compiled.parameters.map((value) => (value instanceof Slot ? value : { constant: value }));
  const used = new Set(parameters.flatMap((parameter) => (parameter instanceof Slot ? [parameter.index] : [])));
  if (used.size !== leafCount) {
    throw new Error(`prepared query uses ${used.size} of its ${leafCount} parameters as values: ${compiled.sql}`);
  }
  return { query: compiled, parameters };
}

/**
 * A query built and compiled once per database and shape of its parameters, then run with new values.
 * Building and compiling a query with Kysely costs more than running a small statement on SQLite, and the
 * token writes and the key check run the same few statements thousands of times a second. `build` must use
 * the parameters only as values of the query, never to choose its structure: preparing checks that each
 * one became a bound parameter.
 */
export function preparedQuery<P, R>(build: (ex: Executor, params: P) => Compilable<R>) {
  const cache = new WeakMap<object, Map<string, Prepared>>();
  return async (ex: Executor, params: P): Promise<R[]> => {
    const leaves: unknown[] = [];
    const shape = flatten(params, leaves);
    const adapter = ex.getExecutor().adapter;
    let byShape = cache.get(adapter);
    if (!byShape) cache.set(adapter, (byShape = new Map<string, Prepared>()));
    let prepared = byShape.get(shape);
    if (!prepared) {
      prepared = prepare(build(ex, toSlots(params, { index: 0 }) as P), leaves.length);
      byShape.set(shape, prepared);
    }
    const values = prepared.parameters.map((parameter) =>
      parameter instanceof Slot ? leaves[parameter.index] : parameter.constant,
    );
    const result = await ex.executeQuery<R>({ ...prepared.query, parameters: values });
    return result.rows;
  };
}
