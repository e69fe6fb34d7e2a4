import type { OpenClawContext } from './context.js';

/** Resolves when the context's shutdown signal aborts, or on SIGINT / SIGTERM; returns what stopped us. */
export function waitForShutdown(context: OpenClawContext): { done: Promise<string>; dispose: () => void } {
  const signal = context.shutdown;
  if (signal) {
    let onAbort = (): void => {};
    const done = new Promise<string>((resolve) => {
      if (signal.aborted) return resolve('shutdown');
      onAbort = () => resolve('shutdown');
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return { done, dispose: () => signal.removeEventListener('abort', onAbort) };
  }
  let handler = (_name: NodeJS.Signals): void => {};
  const done = new Promise<string>((resolve) => {
    handler = (name) => resolve(name);
  });
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    done,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
