import { performance } from 'node:perf_hooks';

/** The JobStore methods that write (reads are not timed: they never hold up an exec). */
export type StoreWriteOp =
  | 'create'
  | 'transition'
  | 'updateProgress'
  | 'appendLog'
  | 'appendEvent'
  | 'expireQueued'
  | 'markInterruptedAsLost'
  | 'purge';

/** Told, for every write, how long it took from the call until its promise settled (or failed), in seconds. */
export type StoreWriteObserver = (op: StoreWriteOp, seconds: number) => void;

/** A start time for `elapsedSeconds`. */
export const writeStart = (): number => performance.now();

export const elapsedSeconds = (start: number): number => (performance.now() - start) / 1000;
