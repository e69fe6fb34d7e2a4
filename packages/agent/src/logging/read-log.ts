import { open, type FileHandle } from 'node:fs/promises';

const CHUNK = 64 * 1024;

export interface ReadLastLogLinesOptions {
  /** How many lines, at most. */
  count: number;
  /** Also read the rotated copies (`file.1`, `file.2`…) when the current file has fewer lines. Default 5 copies. */
  rotated?: number;
  /** Only keep lines this predicate accepts (a level filter); counted after filtering. */
  filter?: (line: string) => boolean;
  /** Read the current file only up to this byte offset (where a follow will start). */
  end?: number;
}

/**
 * The last `count` lines of a log file, oldest first, reading backwards from its end so a large file
 * costs only what is shown. Continues into `file.1`, `file.2`… when the current file is short (just
 * rotated). A missing file gives no lines.
 * @example const lines = await readLastLogLines('/home/ana/.local/state/openclaw-node/logs/agent.log', { count: 50 })
 */
export async function readLastLogLines(file: string, options: ReadLastLogLinesOptions): Promise<string[]> {
  const count = Math.max(0, Math.floor(options.count));
  const files = [file, ...Array.from({ length: options.rotated ?? 5 }, (_, i) => `${file}.${i + 1}`)];
  const out: string[] = [];
  for (const candidate of files) {
    if (out.length >= count) break;
    const lines = await tailFile(
      candidate,
      count - out.length,
      options.filter,
      candidate === file ? options.end : undefined,
    );
    if (lines === null) {
      // A missing rotated copy ends the chain; a missing current file may just not be written yet.
      if (candidate === file) continue;
      break;
    }
    out.unshift(...lines);
  }
  return out;
}

/** Up to `count` last lines of one file, or null when it does not exist. */
async function tailFile(
  file: string,
  count: number,
  filter: ((line: string) => boolean) | undefined,
  end: number | undefined,
): Promise<string[] | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const stats = await handle.stat();
    const size = end === undefined ? stats.size : Math.min(end, stats.size);
    const found: string[] = [];
    let position = size;
    let carry = Buffer.alloc(0);
    while (position > 0 && found.length < count) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, position);
      carry = Buffer.concat([buffer, carry]);
      // Split on bytes, so a multi-byte character across chunk edges stays whole.
      let end = carry.length;
      for (let i = carry.length - 1; i >= 0 && found.length < count; i--) {
        if (carry[i] !== 0x0a) continue;
        take(carry.subarray(i + 1, end), found, filter);
        end = i;
      }
      carry = carry.subarray(0, end);
    }
    if (position === 0 && found.length < count) take(carry, found, filter);
    return found.slice(0, count).reverse();
  } finally {
    await handle.close();
  }
}

function take(bytes: Buffer, found: string[], filter: ((line: string) => boolean) | undefined): void {
  const line = bytes.toString('utf8').replace(/\r$/, '');
  if (line === '') return;
  if (!filter || filter(line)) found.push(line);
}
