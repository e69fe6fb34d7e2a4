import { OpenClawError } from '@openclaw-node/plugin-sdk';
import type { ShotgridConfig, ShotgridContext } from './config.js';
import { parseRetryAfter } from './retry.js';
import { sgError } from './sg-errors.js';
import { authorizationHeader, forgetToken } from './token-cache.js';
import { send } from './transport.js';

export const API_BASE = '/api/v1';
/** `_search` takes its filters in this vendor type; the array form of the filter language. */
export const SEARCH_ARRAY_TYPE = 'application/vnd+shotgun.api3_array+json';

export interface SgRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Under /api/v1 (`/entity/shots`), or a site path that already starts with /api/v1 (links from answers). */
  path: string;
  query?: Record<string, string | number>;
  json?: unknown;
  contentType?: string;
  /** Defaults to true for everything but POST. */
  idempotent?: boolean;
  /** Use this code for 4xx answers other than 401/403 (uploads report SG_UPLOAD_FAILED). */
  errorCode?: string;
}

export interface SgResponse {
  status: number;
  body: unknown;
}

/** Flow Production Tracking REST API v1 over fetch: bearer auth with one re-auth on 401, retries, typed errors. */
export class ShotgridClient {
  constructor(
    readonly ctx: ShotgridContext,
    readonly config: ShotgridConfig,
  ) {}

  /** An absolute URL on the site for an API path and query. */
  url(path: string, query: Record<string, string | number> = {}): URL {
    if (/^https?:/i.test(path)) path = this.sameSitePath(path);
    const full =
      path.startsWith(`${API_BASE}/`) || path === API_BASE
        ? path
        : `${API_BASE}${path.startsWith('/') ? '' : '/'}${path}`;
    const url = new URL(this.config.site + full);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
    return url;
  }

  /** A link the server gave as an absolute URL, reduced to its path; links elsewhere are refused. */
  private sameSitePath(link: string): string {
    const url = new URL(link);
    if (url.origin !== new URL(this.config.site).origin) {
      throw new OpenClawError('SG_UNAVAILABLE', `ShotGrid sent a link to another site: ${url.origin}`, {
        details: { origin: url.origin },
      });
    }
    return url.pathname + url.search;
  }

  /** Send one API request; any non-2xx answer is thrown as an SG_* error. */
  async request(request: SgRequest): Promise<SgResponse> {
    const url = this.url(request.path, request.query);
    const body = request.json === undefined ? undefined : JSON.stringify(request.json);
    let reauthenticated = false;
    for (;;) {
      const authorization = await authorizationHeader(this.ctx, this.config);
      const response = await send(this.ctx, this.config, {
        method: request.method,
        url,
        headers: {
          Accept: 'application/json',
          Authorization: authorization,
          ...(body === undefined ? {} : { 'Content-Type': request.contentType ?? 'application/json' }),
        },
        ...(body === undefined ? {} : { body: () => body }),
        timeoutMs: this.config.requestTimeoutMs,
        idempotent: request.idempotent ?? request.method !== 'POST',
      });
      if (response.status === 401 && !reauthenticated) {
        // The token expired or was revoked early: fetch a new one and try once more.
        reauthenticated = true;
        await forgetToken(this.config, authorization);
        this.ctx.log.info('ShotGrid refused the token, authenticating again', { path: url.pathname });
        continue;
      }
      if (response.status >= 200 && response.status < 300)
        return { status: response.status, body: response.body };
      const error = sgError(response.status, response.body, {
        method: request.method,
        path: url.pathname,
        secret: this.config.scriptKey,
        accessToken: authorization.slice(authorization.indexOf(' ') + 1),
        ...(request.errorCode ? { code: request.errorCode } : {}),
      });
      if (error.code === 'SG_UNAVAILABLE' && error.details) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        error.details.attempts = response.attempts;
        if (retryAfter !== null) error.details.retry_after_seconds = Math.ceil(retryAfter / 1000);
      }
      throw error;
    }
  }
}
