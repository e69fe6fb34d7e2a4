/**
 * Bounded concurrency with exact attribution: cases of one lane (a plugin) run one after another,
 * lanes run side by side. Each plugin starts its own programs, so what a case started can be told
 * apart from what a case of another lane started at the same time.
 */
export type Lanes = <T>(lane: string, work: () => Promise<T>) => Promise<T>;

/** Create an empty set of lanes. */
export function createLanes(): Lanes {
  const tails = new Map<string, Promise<unknown>>();
  return (lane, work) => {
    const previous = tails.get(lane) ?? Promise.resolve();
    const run = previous.then(work);
    tails.set(
      lane,
      run.catch(() => undefined),
    );
    return run;
  };
}

/** The plugin of an action id, the lane its cases run in. */
export const laneOf = (action: unknown): string => String(action).split('.')[0] ?? '';

/**
 * Reorder cases round-robin across lanes, so the few tests vitest runs at once (maxConcurrency)
 * belong to different lanes and actually overlap instead of queueing behind one lane.
 */
export function interleave<T>(cases: readonly T[], laneFor: (item: T) => string): T[] {
  const byLane = new Map<string, T[]>();
  for (const item of cases) {
    const lane = laneFor(item);
    byLane.set(lane, [...(byLane.get(lane) ?? []), item]);
  }
  const queues = [...byLane.values()];
  const out: T[] = [];
  for (let i = 0; out.length < cases.length; i += 1) {
    for (const queue of queues) if (i < queue.length) out.push(queue[i]!);
  }
  return out;
}

/** An `it.each` table of cases, interleaved by the plugin of their action. */
export function laneTable<T extends { name: string; body: unknown }>(
  cases: readonly T[],
): (readonly [string, T])[] {
  return interleave(cases, (c) => laneOf((c.body as { action?: unknown }).action)).map(
    (c) => [c.name, c] as const,
  );
}
