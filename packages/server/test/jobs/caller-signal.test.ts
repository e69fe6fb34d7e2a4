import { describe, expect, it } from 'vitest';
import { CallerGone } from '../../src/jobs/caller-signal.js';

describe('CallerGone', () => {
  it('calls each listener once, with the reason set, and only those still listening', () => {
    const gone = new CallerGone();
    const calls: string[] = [];
    const first = (): void => void calls.push(`first ${String((gone.reason as Error).message)}`);
    const second = (): void => void calls.push('second');
    const removed = (): void => void calls.push('removed');
    gone.addEventListener('abort', first, { once: true });
    gone.addEventListener('abort', first);
    gone.addEventListener('abort', second);
    gone.addEventListener('abort', removed);
    gone.removeEventListener('abort', removed);
    expect(gone.aborted).toBe(false);
    gone.abort(new Error('the caller went away'));
    gone.abort(new Error('again'));
    expect(gone.aborted).toBe(true);
    expect(calls).toEqual(['first the caller went away', 'second']);
    gone.addEventListener('abort', removed);
    expect(calls).toEqual(['first the caller went away', 'second']);
  });

  it('runs the other listeners when one throws, and surfaces the error as uncaught', async () => {
    const gone = new CallerGone();
    const calls: string[] = [];
    const uncaught = new Promise<unknown>((resolve) => {
      const listeners = process.listeners('uncaughtException');
      process.removeAllListeners('uncaughtException');
      process.once('uncaughtException', (error) => {
        for (const listener of listeners) process.on('uncaughtException', listener);
        resolve(error);
      });
    });
    gone.addEventListener('abort', () => {
      throw new Error('listener failed');
    });
    gone.addEventListener('abort', () => void calls.push('second'));
    gone.abort(new Error('gone'));
    expect(calls).toEqual(['second']);
    expect(((await uncaught) as Error).message).toBe('listener failed');
  });
});
