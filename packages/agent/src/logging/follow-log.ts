import { open, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FollowLogOptions {
  /** Stops following; the iteration then ends normally. */
  signal: AbortSignal;
  /**
   * Where to start in the current file: its end (default), its start, or a byte offset (the size it had
   * when its last lines were printed, so nothing written in between is lost).
   */
  from?: 'end' | 'start' | number;
  /** How often to look for new lines and for a rotation. Default 250 ms. */
  pollIntervalMs?: number;
}

const CHUNK = 64 * 1024;

/**
 * Yield the lines appended to a log file, like `tail -F`: when the file is rotated (renamed away and
 * created anew) or truncated, the rest of the old file is read and then the new file from its start.
 * A file that does not exist yet is waited for. Ends when `signal` aborts.
 * @example for await (const line of followLog(file, { signal })) console.log(line)
 */
export async function* followLog(file: string, options: FollowLogOptions): AsyncGenerator<string> {
  const { signal } = options;
  const interval = options.pollIntervalMs ?? 250;
  let handle: FileHandle | undefined;
  let identity: string | undefined;
  let position = 0;
  let carry = '';
  let startAt: 'end' | 'start' | number = options.from ?? 'end';

  const readAvailable = async function* (): AsyncGenerator<string> {
    if (!handle) return;
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      carry += buffer.toString('utf8', 0, bytesRead);
      const lines = carry.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        const clean = line.replace(/\r$/, '');
        if (clean !== '') yield clean;
      }
    }
  };
  const closeHandle = async () => {
    await handle?.close().catch(() => undefined);
    handle = undefined;
    identity = undefined;
  };

  try {
    while (!signal.aborted) {
      if (!handle) {
        try {
          handle = await open(file, 'r');
          const info = await handle.stat();
          identity = `${info.dev}:${info.ino}`;
          position = startAt === 'end' ? info.size : startAt === 'start' || startAt > info.size ? 0 : startAt;
          carry = '';
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          handle = undefined;
        }
        // Whatever appears from now on (a new file after a rotation) is read from its start.
        startAt = 'start';
      }
      if (handle) {
        yield* readAvailable();
        const current = await stat(file).catch(() => undefined);
        const rotated = !current || `${current.dev}:${current.ino}` !== identity;
        if (rotated) {
          // Lines written to the old file between our last read and the rename are still in it.
          yield* readAvailable();
          if (carry !== '') yield carry;
          await closeHandle();
          continue;
        }
        if (current.size < position) {
          position = 0;
          carry = '';
          continue;
        }
      }
      try {
        await sleep(interval, undefined, { signal });
      } catch {
        return;
      }
    }
  } finally {
    await closeHandle();
  }
}
