import {
  OpenClawError,
  TERMINAL_JOB_STATES,
  isOpenClawError,
  type JobEventView,
  type JobStateName,
  type JobView,
} from '@openclaw-node/core';
import { OpenClawApiError, isErrorBody } from './api-error.js';
import { parseSse } from './sse.js';

/** Options of `client.events()`. */
export interface JobEventsOptions {
  /** Resume after this event seq (what `Last-Event-ID` says); default from the start. */
  after?: number;
  /** Stop following (the iterator then throws the signal's reason). */
  signal?: AbortSignal;
  /** Reconnect when the stream breaks before the job ended, resuming after the last event; default true. */
  reconnect?: boolean;
  /** Give up after this many reconnects in a row without a new event; default 5. */
  maxReconnects?: number;
}

/** What following one job's events needs from the client. */
export interface JobEventsSource {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  /** Reads the job (to tell a finished job from a broken stream). */
  job: () => Promise<JobView>;
}

const TERMINAL: readonly JobStateName[] = TERMINAL_JOB_STATES;

/** True for a state a job never leaves. */
export function isTerminalState(state: JobStateName): boolean {
  return TERMINAL.includes(state);
}

/**
 * Follow a job's Server-Sent Events until its terminal `state` event, reconnecting with
 * `Last-Event-ID` when the connection breaks.
 */
export async function* followJobEvents(
  source: JobEventsSource,
  options: JobEventsOptions = {},
): AsyncGenerator<JobEventView> {
  const { signal } = options;
  let last = options.after ?? 0;
  let failures = 0;
  for (;;) {
    signal?.throwIfAborted();
    let ended = false;
    try {
      const headers = { ...source.headers, accept: 'text/event-stream' };
      if (last > 0) Object.assign(headers, { 'last-event-id': String(last) });
      const response = await source.fetch(source.url, { headers, ...(signal ? { signal } : {}) });
      if (!response.ok || !response.body) await refuse(response, source.url);
      if (!/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
        await response.body?.cancel();
        throw new OpenClawError(
          'INVALID_RESPONSE',
          `GET ${source.url} did not answer with an event stream (${response.headers.get('content-type') ?? 'no content type'})`,
          { details: { url: source.url } },
        );
      }
      for await (const message of parseSse(response.body!)) {
        if (message.event !== 'state' && message.event !== 'progress' && message.event !== 'log') continue;
        const event = JSON.parse(message.data) as JobEventView;
        last = event.seq;
        failures = 0;
        yield event;
        if (event.type === 'state' && isTerminalState(event.data.state)) return;
      }
      ended = true;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (
        isOpenClawError(error) &&
        (error instanceof OpenClawApiError || error.code === 'INVALID_RESPONSE')
      ) {
        throw error;
      }
      if (options.reconnect === false) throw error;
    }
    // The stream stopped before the end: the job may have ended (its last event trimmed), or the
    // connection broke.
    const job = await source.job().catch((error: unknown) => {
      if (error instanceof OpenClawApiError) throw error;
      return undefined;
    });
    if (job && isTerminalState(job.state)) return;
    failures += 1;
    if (options.reconnect === false || failures > (options.maxReconnects ?? 5)) {
      throw new OpenClawError(
        'SERVER_UNREACHABLE',
        `The event stream of job ${job?.command_id ?? source.url} ${ended ? 'ended' : 'broke'} before the job did`,
        { details: { url: source.url, after: last } },
      );
    }
    await pause(Math.min(250 * 2 ** (failures - 1), 5000), signal);
  }
}

async function refuse(response: Response, url: string): Promise<never> {
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  if (isErrorBody(json)) throw new OpenClawApiError(response.status, json);
  throw new OpenClawError(
    'INVALID_RESPONSE',
    `GET ${url} answered HTTP ${response.status}, not an event stream`,
    {
      details: { url, http_status: response.status },
    },
  );
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
