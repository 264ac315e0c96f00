/**
 * Passes progress on at most every `every` items or every `intervalMs`, and at the end: a run over 100,000
 * records prints about ten lines, and a slow one still shows signs of life every second.
 */
export function throttledProgress(
  print: (done: number, total: number) => void,
  { every = 10_000, intervalMs = 1000 }: { every?: number; intervalMs?: number } = {},
): (done: number, total: number) => void {
  let lastDone = 0;
  let lastAt = Date.now();
  return (done, total) => {
    const now = Date.now();
    if (done < total && done - lastDone < every && now - lastAt < intervalMs) return;
    lastDone = done;
    lastAt = now;
    print(done, total);
  };
}
