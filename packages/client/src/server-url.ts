import { OpenClawError } from '@openclaw-node/core';

/** The server's base URL without a trailing slash; `host:port` alone means http. Throws CONFIG_INVALID. */
export function normalizeServerUrl(server: string): string {
  const given = typeof server === 'string' ? server.trim() : '';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `http://${given}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(server, 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(server, `must be an http:// or https:// URL (the REST API), not ${url.protocol}//`);
  }
  if (url.search || url.hash) throw invalid(server, 'must not have a query or a fragment');
  if (url.username || url.password)
    throw invalid(server, 'must not contain credentials; pass the token instead');
  return url.href.replace(/\/+$/, '');
}

function invalid(server: unknown, rule: string): OpenClawError {
  return new OpenClawError('CONFIG_INVALID', `server ${rule}: ${JSON.stringify(server)}`, {
    details: { field: 'server' },
  });
}
