import { OpenClawError, type LiveEventView } from '@openclaw-node/core';
import { OpenClawApiError, isErrorBody } from './api-error.js';
import { parseSse } from './sse.js';

/** What following `GET /api/events` needs from the client. */
export interface LiveEventsSource {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
}

/**
 * The fleet's and jobs' changes from `GET /api/events` (fetch, so the token goes in a header, never in
 * the URL). Ends when the server ends the stream; throws OpenClawApiError when refused and
 * AUTH_INVALID when the server says the token stopped being valid. No reconnect: the caller reloads
 * what it shows, then follows again.
 */
export async function* followLiveEvents(
  source: LiveEventsSource,
  signal?: AbortSignal,
): AsyncGenerator<LiveEventView> {
  const response = await source.fetch(source.url, {
    headers: { ...source.headers, accept: 'text/event-stream' },
    ...(signal ? { signal } : {}),
  });
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
    if (isErrorBody(json)) throw new OpenClawApiError(response.status, json);
    throw new OpenClawError('INVALID_RESPONSE', `GET ${source.url} answered HTTP ${response.status}`, {
      details: { url: source.url, http_status: response.status },
    });
  }
  for await (const message of parseSse(response.body)) {
    if (message.event === 'auth') {
      throw new OpenClawError('AUTH_INVALID', 'The token is no longer valid', {
        details: { url: source.url },
      });
    }
    if (message.event === 'ready' || message.event === 'node' || message.event === 'job')
      yield JSON.parse(message.data) as LiveEventView;
  }
}
