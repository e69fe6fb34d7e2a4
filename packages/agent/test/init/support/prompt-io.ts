import { PassThrough, Writable } from 'node:stream';

/** Keys as a terminal sends them. */
export const KEYS = {
  enter: '\r',
  down: '\u001b[B',
  space: ' ',
  ctrlC: '\u0003',
  backspace: '\u007f',
} as const;

/** In-memory input and output for the wizard, with a way to answer prompts as they appear. */
export interface PromptIO {
  input: PassThrough;
  output: Writable & { columns: number; rows: number };
  text(): string;
  /** Wait until the output shows `prompt` (past the previous answer), then type `keys`. */
  answer(prompt: string, keys: string): Promise<void>;
}

export function createPromptIO(): PromptIO {
  let out = '';
  const output = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    }),
    { columns: 120, rows: 40 },
  );
  const input = new PassThrough();
  let seen = 0;
  return {
    input,
    output,
    text: () => out,
    async answer(prompt, keys) {
      for (let i = 0; i < 1500; i++) {
        const at = out.indexOf(prompt, seen);
        if (at >= 0) {
          seen = at + prompt.length;
          input.write(keys);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`the prompt "${prompt}" never appeared; output so far:\n${out}`);
    },
  };
}
