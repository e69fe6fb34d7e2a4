/** A place in the queue of one exclusive action. */
export interface ActionLockTicket {
  /** Settles when every earlier holder has released. */
  ready: Promise<void>;
  /** Let the next holder in; safe to call more than once. */
  release(): void;
}

/** FIFO locks per action id, for actions marked `exclusive` (one run at a time per node). */
export interface ActionLocks {
  acquire(key: string): ActionLockTicket;
}

/** Create an empty set of locks. */
export function createActionLocks(): ActionLocks {
  const tails = new Map<string, Promise<void>>();
  return {
    acquire(key) {
      const previous = tails.get(key) ?? Promise.resolve();
      let open!: () => void;
      const mine = new Promise<void>((resolve) => (open = resolve));
      const tail = previous.then(() => mine);
      tails.set(key, tail);
      // Forget the key once the whole queue has drained, not when this ticket is released early.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      let released = false;
      return {
        ready: previous,
        release() {
          if (released) return;
          released = true;
          open();
        },
      };
    },
  };
}
