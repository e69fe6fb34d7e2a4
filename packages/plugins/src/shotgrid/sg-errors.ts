import { OpenClawError } from '@openclaw-node/plugin-sdk';
import { redactJson, type Secret } from './secret.js';

/** One entry of the `errors` array every ShotGrid REST error carries (APPS.md §5.2). */
export interface SgErrorObject {
  id?: string;
  status?: number;
  code?: number;
  title?: string;
  detail?: string;
  source?: unknown;
  meta?: unknown;
}

/** The first error object of a response body, if it has one. */
export function firstError(body: unknown): SgErrorObject | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  return typeof first === 'object' && first !== null ? first : undefined;
}

/** The code for an HTTP status from ShotGrid (APPS.md §5.2 and §6). */
export function codeForStatus(status: number): string {
  if (status === 401) return 'SG_AUTH';
  if (status === 403) return 'SG_FORBIDDEN';
  if (status === 404) return 'SG_NOT_FOUND';
  if (status === 429 || status >= 500) return 'SG_UNAVAILABLE';
  return 'SG_VALIDATION';
}

export interface SgErrorContext {
  method: string;
  path: string;
  secret: Secret;
  /** The access token the request carried: a site may echo it back in its error. */
  accessToken?: string;
  /** Use this code instead of the status's own for 4xx answers other than 401/403 (uploads). */
  code?: string;
}

/** Turn a ShotGrid error response into an OpenClawError carrying the server's title, detail and source. */
export function sgError(status: number, body: unknown, context: SgErrorContext): OpenClawError {
  const first = firstError(body);
  const statusCode = codeForStatus(status);
  const code =
    context.code && statusCode !== 'SG_AUTH' && statusCode !== 'SG_FORBIDDEN' ? context.code : statusCode;
  // Every string the site sent back is scrubbed of the key and the token, in any encoding.
  const secrets = [context.secret.reveal(), ...(context.accessToken ? [context.accessToken] : [])];
  const scrub = (text: string) => redactJson(text, secrets) as string;
  const title = typeof first?.title === 'string' ? scrub(first.title) : undefined;
  const detail = typeof first?.detail === 'string' ? scrub(first.detail) : undefined;
  const said = [title, detail].filter(Boolean).join(': ') || `HTTP ${status}`;
  return new OpenClawError(
    code,
    `ShotGrid answered ${status} to ${context.method} ${context.path}: ${said}`,
    {
      details: {
        status,
        method: context.method,
        path: context.path,
        ...(title !== undefined ? { title } : {}),
        ...(detail !== undefined ? { detail } : {}),
        ...(first?.source !== undefined ? { source: redactJson(first.source, secrets) } : {}),
        ...(typeof first?.code === 'number' ? { sg_code: first.code } : {}),
      },
    },
  );
}
