import { describe, expect, it } from 'vitest';
import { parseSse, type SseMessage } from '../src/index.js';

/** A body that delivers `chunks` one read at a time (to split lines and fields anywhere). */
function body(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]));
      else controller.close();
    },
  });
}

async function parse(chunks: string[]): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const message of parseSse(body(chunks))) out.push(message);
  return out;
}

describe('parseSse', () => {
  it('reads id, event and data, and skips comments and a retry-only block', async () => {
    expect(await parse(['retry: 3000\n\n: heartbeat\n', 'id: 1\nevent: state\ndata: {"a":1}\n\n'])).toEqual([
      { event: 'state', data: '{"a":1}', id: '1' },
    ]);
  });

  it('joins multi-line data and defaults the event to message', async () => {
    expect(await parse(['data: one\ndata: two\n\n'])).toEqual([
      { event: 'message', data: 'one\ntwo', id: undefined },
    ]);
  });

  it('accepts CRLF and CR line ends, even split across reads, and a leading BOM', async () => {
    const messages = await parse([
      '\uFEFFid: 7\r',
      '\nevent: log\r\ndata: x\r',
      '\r',
      'data: y\rdata: z\r\r',
    ]);
    expect(messages).toEqual([
      { event: 'log', data: 'x', id: '7' },
      { event: 'message', data: 'y\nz', id: '7' },
    ]);
  });

  it('keeps the last id for later messages and handles fields without a space or value', async () => {
    expect(await parse(['id:9\ndata:a\n\ndata\n\n'])).toEqual([
      { event: 'message', data: 'a', id: '9' },
      { event: 'message', data: '', id: '9' },
    ]);
  });

  it('drops an unterminated last message', async () => {
    expect(await parse(['data: complete\n\ndata: cut off'])).toEqual([
      { event: 'message', data: 'complete', id: undefined },
    ]);
  });
});
