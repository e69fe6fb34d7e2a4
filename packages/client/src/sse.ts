/** One Server-Sent Events message (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface SseMessage {
  /** `message` when the stream names none. */
  event: string;
  /** The data lines joined with `\n`. */
  data: string;
  /** The last `id:` seen so far in the stream (the spec's "last event ID"). */
  id: string | undefined;
  /** A `retry:` the message carried, in ms. */
  retry?: number;
}

/**
 * Parse an event stream as it arrives: `\n`, `\r\n` or `\r` line ends, comments, multi-line `data`,
 * `id` and `retry`, one message per blank line. Works on any fetch body (Node and browsers).
 */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let lastId: string | undefined;
  let event = '';
  let data: string[] = [];
  let retry: number | undefined;
  let first = true;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A lone \r at the end may be the first half of \r\n: wait for more unless the stream ended.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1 && !done)) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === '') {
          if (data.length > 0) {
            const message: SseMessage = { event: event || 'message', data: data.join('\n'), id: lastId };
            if (retry !== undefined) message.retry = retry;
            yield message;
          }
          event = '';
          data = [];
          retry = undefined;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
        else if (field === 'id' && !value.includes('\0')) lastId = value;
        else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      }
      if (done) return;
    }
  } finally {
    // Stopped early (the caller broke out, or aborted): close the connection.
    await reader.cancel().catch(() => undefined);
  }
}
