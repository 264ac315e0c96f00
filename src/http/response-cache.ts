import { pipeline, Readable, Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The response depends only on the database and the path parameters and query fields the route's schemas
     * declare (validated), never on who asks: it may be reused.
     */
    cacheResponse?: boolean;
    /** Maps the validated query to what the answer depends on, where different values give the same answer. */
    cacheKeyQuery?: (query: Record<string, unknown>) => Record<string, unknown>;
  }
}

/** Counted for each entry on top of its key and body: the map's slot, the Buffer objects. */
const ENTRY_OVERHEAD_BYTES = 200;

interface Entry {
  chunks: Buffer[];
  cost: number;
}

/**
 * Answers by key, least recently used first out. Its bytes (keys, bodies and overhead) include those reserved
 * by answers still being collected, so the bound holds however many are in flight.
 */
class ByteBoundedCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Buffer[] | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // A Map iterates in insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.chunks;
  }

  /** Makes room for `size` more bytes, dropping least recently used entries; false when even that is not enough. */
  reserve(size: number): boolean {
    for (const [oldest] of this.entries) {
      if (this.bytes + size <= this.maxBytes) break;
      this.delete(oldest);
    }
    if (this.bytes + size > this.maxBytes) return false;
    this.bytes += size;
    return true;
  }

  release(size: number): void {
    this.bytes -= size;
  }

  /** Files an answer whose `cost` bytes are reserved already. */
  add(key: string, chunks: Buffer[], cost: number): void {
    this.delete(key);
    this.entries.set(key, { chunks, cost });
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.delete(key);
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.cost;
  }
}

/** An answer being copied into the cache as it is sent; given up as soon as it no longer fits. */
class Collection {
  private readonly chunks: Buffer[] = [];
  private reserved = 0;
  private done = false;

  constructor(
    private readonly cache: ByteBoundedCache,
    private readonly key: string,
  ) {
    this.grow(Buffer.byteLength(key) + ENTRY_OVERHEAD_BYTES);
  }

  add(chunk: Buffer): void {
    if (this.grow(chunk.length)) this.chunks.push(chunk);
  }

  /** Files the answer if it is still valid (the database unchanged since it was read); gives it up otherwise. */
  finish(valid: boolean): void {
    if (this.done) return;
    if (!valid) return this.abandon();
    this.done = true;
    this.cache.add(this.key, this.chunks, this.reserved);
  }

  abandon(): void {
    if (this.done) return;
    this.done = true;
    this.cache.release(this.reserved);
    this.chunks.length = 0;
  }

  private grow(size: number): boolean {
    if (this.done) return false;
    if (!this.cache.reserve(size)) {
      this.abandon();
      return false;
    }
    this.reserved += size;
    return true;
  }
}

/** The fields a part's schema declares, with their values, in the schema's order. */
function fieldValues(schema: unknown, values: unknown): unknown[] {
  const record = (values ?? {}) as Record<string, unknown>;
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  return Object.keys(properties).map((name) => [name, record[name]]);
}

/**
 * What the answer depends on: the route, its validated path parameters and query. Unknown query fields
 * were already removed by validation, and the values are parsed (`?page=01` is `?page=1`), so URLs that ask
 * the same question share one entry.
 */
function cacheKey(request: FastifyRequest): string {
  const { url, schema, config } = request.routeOptions;
  const query = request.query as Record<string, unknown>;
  return JSON.stringify([
    url,
    fieldValues(schema?.params, request.params),
    fieldValues(schema?.querystring, config.cacheKeyQuery ? config.cacheKeyQuery(query) : query),
  ]);
}

export interface ResponseCacheOptions {
  /** Changes whenever the database has changed, in this process or another. */
  changeVersion: () => string;
  /** Bound on the bodies and keys held (RESPONSE_CACHE_MAX_BYTES). */
  maxBytes: number;
}

/**
 * Reuses 200 responses of GET routes marked `cacheResponse` while the database's change version is
 * unchanged; the first request to see a new version drops every entry. Installed after authorization, so a
 * cached body is only sent to a caller allowed to see it. An answer is filed only if the version is the same
 * after it was written out as before its handler read anything: no change can have landed in between, even
 * in a list streamed chunk by chunk. Bodies are kept as Buffers, outside the JavaScript heap, and the bytes
 * held, with those of answers still being copied, never pass `maxBytes`: an answer that would is given up.
 */
export function installResponseCache(app: FastifyInstance, options: ResponseCacheOptions): void {
  const cache = new ByteBoundedCache(options.maxBytes);
  let version: string | undefined;
  const pending = new WeakMap<object, { key: string; version: string }>();
  /** Keys of the streamed answers being copied now. */
  const copying = new Set<string>();

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' || !request.routeOptions.config.cacheResponse) return;
    const now = options.changeVersion();
    if (now !== version) {
      cache.clear();
      version = now;
    }
    const key = cacheKey(request);
    const hit = cache.get(key);
    if (hit) {
      reply
        .header('content-type', 'application/json; charset=utf-8')
        .header(
          'content-length',
          hit.reduce((sum, chunk) => sum + chunk.length, 0),
        )
        .header('x-cache', 'hit');
      return reply.send(hit.length === 1 ? hit[0] : Readable.from(hit, { objectMode: false }));
    }
    pending.set(request, { key, version: now });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const filed = pending.get(request);
    if (!filed || reply.statusCode !== 200) return payload;
    const unchanged = () => options.changeVersion() === filed.version;
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
      const collection = new Collection(cache, filed.key);
      collection.add(typeof payload === 'string' ? Buffer.from(payload) : payload);
      collection.finish(unchanged());
      return payload;
    }
    // One copy of an answer at a time: identical requests arriving together would each take its size from the bound.
    if (!(payload instanceof Readable) || copying.has(filed.key)) return payload;
    copying.add(filed.key);
    const collection = new Collection(cache, filed.key);
    const copy = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        // A change while the list streams makes the copy useless: its bytes go back to the cache at once.
        if (unchanged()) collection.add(chunk);
        else collection.abandon();
        done(null, chunk);
      },
      flush(done) {
        collection.finish(unchanged());
        done();
      },
    });
    copy.once('close', () => {
      // Cut short (an error, a client gone): nothing is filed, and the reserved bytes are freed.
      collection.abandon();
      copying.delete(filed.key);
    });
    return pipeline(payload, copy, () => {});
  });
}
