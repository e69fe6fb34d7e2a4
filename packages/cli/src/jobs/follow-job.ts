import type { OpenClawClient } from '@openclaw-node/client';
import type { JobEventView, JobView } from '@openclaw-node/core';
import { inline, terminalText } from '../render/terminal-text.js';

/** Where and how a followed job is shown. */
export interface FollowOutput {
  write(text: string): void;
  /** JSON lines (one per event, then the job) instead of text for people. */
  json: boolean;
  /** A terminal: the progress line is redrawn in place instead of printed again. */
  tty: boolean;
}

/**
 * Stream a job's events to the terminal until it ends, then return the job: log lines as they come,
 * a progress line (`[ 42%] frame 1042 of 1100`), state changes; with `json`, each event as a JSON line.
 */
export async function followJob(
  client: OpenClawClient,
  commandId: string,
  out: FollowOutput,
  signal?: AbortSignal,
): Promise<JobView> {
  const view = new FollowView(out);
  try {
    for await (const event of client.events(commandId, signal ? { signal } : {})) view.event(event);
  } finally {
    view.settle();
  }
  const job = await client.job(commandId, signal ? { signal } : {});
  if (out.json) out.write(`${terminalText(JSON.stringify(job))}\n`);
  return job;
}

/** Renders events for people: keeps at most one live progress line (on a terminal). */
class FollowView {
  #progressShown = false;
  #lastProgress = '';

  constructor(private readonly out: FollowOutput) {}

  event(event: JobEventView): void {
    if (this.out.json) {
      this.out.write(`${terminalText(JSON.stringify(event))}\n`);
      return;
    }
    switch (event.type) {
      case 'log':
        this.#print(event.data.lines.map((line) => inline(line)).join('\n'));
        break;
      case 'progress':
        this.#progress(progressLine(event.data.progress, event.data.message));
        break;
      case 'state': {
        const { state, error } = event.data;
        this.#print(
          error ? `state: ${state} (${inline(error.code)}: ${inline(error.message)})` : `state: ${state}`,
        );
        break;
      }
    }
  }

  /** End a live progress line so what follows starts on its own line. */
  settle(): void {
    if (this.#progressShown) this.out.write('\n');
    this.#progressShown = false;
  }

  #print(text: string): void {
    this.settle();
    if (text !== '') this.out.write(`${text}\n`);
  }

  #progress(line: string): void {
    if (line === this.#lastProgress) return;
    this.#lastProgress = line;
    if (!this.out.tty) {
      this.out.write(`${line}\n`);
      return;
    }
    this.out.write(`\r\x1b[2K${line}`);
    this.#progressShown = true;
  }
}

/** `[ 42%] frame 1042 of 1100`, `[ --%] loading` without a fraction. */
export function progressLine(progress: number | null, message: string | null): string {
  const percent = progress === null ? ' --' : String(Math.round(progress * 100)).padStart(3);
  return `[${percent}%]${message ? ` ${inline(message)}` : ''}`;
}
