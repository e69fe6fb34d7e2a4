/**
 * The work's outcome, or the signal's reason as soon as it aborts: a handler (or a ping) that
 * ignores its signal runs on detached, and the caller is not held by it. The agent's executor and
 * plugin health checks and the test harness (`runAction`) all answer this way.
 */
export function untilAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
