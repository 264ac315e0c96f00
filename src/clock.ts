/** Where services read the time (epoch milliseconds): tests pass a clock they move by hand instead of waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
