import { TOKEN } from '@openclaw-node/test-support/server';

/** One message of an event stream as sent: id, event, data (parsed JSON), or a comment. */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: unknown;
  comment?: string;
  retry?: number;
}

/** A raw event stream read with fetch: messages as they arrive, the raw text, and a way to hang up. */
export interface SseReader {
  status: number;
  headers: Headers;
  /** The next message (comments included); undefined when the stream ended. */
  next(): Promise<SseMessage | undefined>;
  /** Read messages until the stream ends. */
  rest(): Promise<SseMessage[]>;
  raw(): string;
  close(): void;
}

/** Open `GET route` as an event stream and parse it by hand (the format, not a library, is under test). */
export async function openSse(
  url: string,
  route: string,
  options: { headers?: Record<string, string>; token?: string } = {},
): Promise<SseReader> {
  const controller = new AbortController();
  const response = await fetch(url + route, {
    headers: {
      authorization: `Bearer ${options.token ?? TOKEN}`,
      accept: 'text/event-stream',
      ...options.headers,
    },
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let raw = '';
  let buffer = '';
  let ended = false;
  const parse = (block: string): SseMessage => {
    const message: SseMessage = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) message.comment = line.slice(1).trim();
      else if (line.startsWith('id: ')) message.id = line.slice(4);
      else if (line.startsWith('event: ')) message.event = line.slice(7);
      else if (line.startsWith('data: ')) message.data = JSON.parse(line.slice(6)) as unknown;
      else if (line.startsWith('retry: ')) message.retry = Number(line.slice(7));
    }
    return message;
  };
  const next = async (): Promise<SseMessage | undefined> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return parse(block);
      }
      if (ended) return undefined;
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) ended = true;
      else {
        const text = decoder.decode(value, { stream: true });
        raw += text;
        buffer += text;
      }
    }
  };
  return {
    status: response.status,
    headers: response.headers,
    next,
    async rest() {
      const all: SseMessage[] = [];
      for (let m = await next(); m; m = await next()) all.push(m);
      return all;
    },
    raw: () => raw,
    close: () => controller.abort(),
  };
}

/** Only the events (no comments, no retry hint). */
export function eventsOf(messages: SseMessage[]): SseMessage[] {
  return messages.filter((m) => m.event !== undefined);
}
