import { PassThrough, Writable } from 'node:stream';
import type { RunIO } from '../../src/index.js';

/** In-memory stdin/stdout/stderr for `run`, with a way to answer prompts as they appear. */
export interface MemoryIO extends RunIO {
  stdin: PassThrough;
  out(): string;
  err(): string;
  /** Wait until stdout shows `text` (a prompt), then type `keys`. */
  answer(text: string, keys: string): Promise<void>;
}

export const KEYS = { enter: '\r', down: '\u001b[B', space: ' ', ctrlC: '\u0003' } as const;

export function createMemoryIO(options: { cwd: string; interactive?: boolean }): MemoryIO {
  let out = '';
  let err = '';
  const stdout = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out += chunk.toString();
        callback();
      },
    }),
    { columns: 100, rows: 40 },
  );
  const stderr = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      err += chunk.toString();
      callback();
    },
  });
  const stdin = new PassThrough();
  let seen = 0;
  return {
    stdin,
    stdout,
    stderr,
    cwd: options.cwd,
    ...(options.interactive === undefined ? {} : { interactive: options.interactive }),
    out: () => out,
    err: () => err,
    async answer(text, keys) {
      // Look only past the previous answer, so a repeated word does not match an old prompt.
      for (let i = 0; i < 400; i++) {
        const at = out.indexOf(text, seen);
        if (at >= 0) {
          seen = at + text.length;
          stdin.write(keys);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`the prompt "${text}" never appeared; output so far:\n${out}`);
    },
  };
}
