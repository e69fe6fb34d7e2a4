import type { BaseContext } from './clipanion.js';

/** The clipanion context of every command: streams, env, and an optional stop signal for long runs. */
export interface OpenClawContext extends BaseContext {
  /**
   * Aborting it stops `server start`, `agent start` and `quickstart` cleanly. Without it they stop
   * on SIGINT or SIGTERM (tests pass one instead of sending signals).
   */
  shutdown?: AbortSignal;
}
