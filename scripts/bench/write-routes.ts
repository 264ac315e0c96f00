import { P99_MS, randomOf, type RouteBench } from './route.js';
import type { TokenMove } from './token-book.js';

/**
 * Orders per second the top-up is sized for, at the least: twice the ceiling route's rate when it is known
 * (a write cannot outrun the route that does not touch the database), never less than this.
 */
const ORDER_RATE_FLOOR = 10_000;

/**
 * Pairs of distinct participants in a random order, none twice: a lazy Fisher-Yates shuffle of the n x n
 * (i, j) grid that keeps only the cells it has touched, skipping cells with i >= j so each unordered pair has
 * exactly one cell. Returns undefined once every pair has been drawn.
 */
function freshPairs(ids: readonly number[]): () => readonly [number, number] | undefined {
  const n = ids.length;
  const size = n * n;
  const moved = new Map<number, number>();
  let next = 0;
  return () => {
    while (next < size) {
      const pick = next + Math.floor(Math.random() * (size - next));
      const cell = moved.get(pick) ?? pick;
      moved.set(pick, moved.get(next) ?? next);
      moved.delete(next);
      next += 1;
      const i = Math.floor(cell / n);
      const j = cell % n;
      if (i >= j) continue;
      const [a, b] = [ids[i] as number, ids[j] as number];
      // Either may be participant 1.
      return Math.random() < 0.5 ? [a, b] : [b, a];
    }
    return undefined;
  };
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

const grantRoute: RouteBench = {
  name: 'PUT /bbt_token_admin_give (+1)',
  method: 'PUT',
  path: '/bbt_token_admin_give',
  drain: true,
  request: (_n, ctx) => {
    const participantId = randomOf(ctx.participantIds);
    return { body: { participant_id: participantId, tokens: 1 }, tokens: { kind: 'grant', changes: [[participantId, 1]] } };
  },
  targets: { minRps: 3000, maxP99Ms: P99_MS },
};

const orderRoute: RouteBench = {
  name: 'POST /boba (topped up)',
  method: 'POST',
  path: '/boba',
  drain: true,
  // Tops every participant up with enough tokens for every order the route's runs (in every set-up) could
  // place even if they all named that one participant, at up to twice the ceiling's rate: no order is refused
  // for want of tokens.
  async setup(ctx) {
    const cost = ctx.boba.tokensPerOrder;
    const rate = Math.max(ORDER_RATE_FLOOR, 2 * ctx.ceilingRps);
    const needed = cost * Math.ceil(rate * ctx.setUps * (ctx.warmupSeconds + ctx.seconds + 1));
    const grants: Array<readonly [number, number]> = [];
    for (const participantId of ctx.participantIds) {
      for (let left = needed; left > 0; left -= ctx.boba.maxGrant)
        grants.push([participantId, Math.min(left, ctx.boba.maxGrant)]);
    }
    console.error(
      `POST /boba set-up: ${needed} tokens for each of ${ctx.participantIds.length} participants ` +
        `(${grants.length} grants of at most ${ctx.boba.maxGrant})`,
    );
    await inParallel(grants, 16, async ([participantId, tokens]) => {
      const move: TokenMove = { kind: 'grant', changes: [[participantId, tokens]] };
      const { status, body } = await ctx.send('PUT', '/bbt_token_admin_give', { participant_id: participantId, tokens }, move);
      if (status !== 200) throw new Error(`top-up of participant ${participantId} answered ${status}: ${JSON.stringify(body)}`);
    });
  },
  request: (_n, ctx) => {
    const participantId = randomOf(ctx.participantIds);
    return {
      body: { participant_id: participantId, size: 'Large', toppings: 'Tapioca pearls' },
      tokens: { kind: 'order', changes: [[participantId, -ctx.boba.tokensPerOrder]] },
    };
  },
  targets: { minRps: 3000, maxP99Ms: P99_MS },
};

function exchangeRoute(): RouteBench {
  let nextPair: (() => readonly [number, number] | undefined) | undefined;
  let exhausted = false;
  return {
    // No numeric target; any refusal (non-2xx) is a failure, since every pair is fresh and there is no cooldown.
    name: 'PUT /bbt_token_exchange (fresh pairs)',
    method: 'PUT',
    path: '/bbt_token_exchange',
    drain: true,
    async setup(ctx) {
      if (ctx.participantIds.length < 2) throw new Error('PUT /bbt_token_exchange needs at least two participants');
      nextPair = freshPairs(ctx.participantIds);
    },
    request: (_n, ctx) => {
      let pair = nextPair?.();
      if (!pair) {
        if (!exhausted)
          console.error('PUT /bbt_token_exchange: every pair has exchanged; the rest repeat a pair and are refused');
        exhausted = true;
        pair = [ctx.participantIds[0] as number, ctx.participantIds[1] as number];
      }
      const [first, second] = pair;
      return {
        body: { participant_1_id: first, participant_2_id: second },
        tokens: {
          kind: 'exchange',
          changes: [
            [first, 1],
            [second, 1],
          ],
        },
      };
    },
  };
}

/** Grants, orders and exchanges; the exchange route remembers the pairs it has drawn, so one list per run. */
export function writeRoutes(): RouteBench[] {
  return [grantRoute, orderRoute, exchangeRoute()];
}
