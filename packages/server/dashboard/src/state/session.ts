import { signal } from '@preact/signals';
import { createClient, OpenClawApiError, type MeResponse, type OpenClawClient } from '@openclaw-node/client';
import { isOpenClawError } from '@openclaw-node/core';

/** The signed-in token: in memory, and in sessionStorage (this tab only) when the user asked. */
export interface Session {
  client: OpenClawClient;
  me: MeResponse;
}

export const session = signal<Session | null>(null);
/** Why the sign-in page is shown again (revoked, expired, signed out). */
export const signInNotice = signal<string | null>(null);

const STORAGE_KEY = 'openclaw-node.token';
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
const signOutListeners = new Set<() => void>();

/** Something to undo on sign-out (live streams, cached pages). */
export function onSignOut(listener: () => void): void {
  signOutListeners.add(listener);
}

/** Check the token against `GET /api/me` and keep it; throws the server's error when refused. */
export async function signIn(token: string, keepForTab: boolean): Promise<void> {
  const client = createClient({ server: location.origin, token: token.trim() });
  const me = await client.me();
  if (keepForTab) sessionStorage.setItem(STORAGE_KEY, token.trim());
  else sessionStorage.removeItem(STORAGE_KEY);
  signInNotice.value = null;
  clearTimeout(expiryTimer);
  if (me.expires_at) {
    const left = Date.parse(me.expires_at) - Date.now();
    // setTimeout keeps 31 bits of ms; a later expiry is caught by the next refused request.
    if (left < 2 ** 31 - 1)
      expiryTimer = setTimeout(() => signOut('Your token expired. Sign in again.'), left);
  }
  session.value = { client, me };
}

/** Forget the token and everything shown with it. */
export function signOut(notice: string | null = null): void {
  clearTimeout(expiryTimer);
  sessionStorage.removeItem(STORAGE_KEY);
  session.value = null;
  signInNotice.value = notice;
  for (const listener of signOutListeners) listener();
  if (location.hash !== '' && location.hash !== '#/') location.hash = '#/';
}

/** Sign in again with the token kept for this tab, if any. */
export async function restoreSession(): Promise<void> {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return;
  try {
    await signIn(token, true);
  } catch (error) {
    sessionStorage.removeItem(STORAGE_KEY);
    signInNotice.value = describeError(error);
  }
}

/** A refused token (401) anywhere signs out and clears the page. Returns true when it did. */
export function handleAuthError(error: unknown): boolean {
  const refused =
    (error instanceof OpenClawApiError && error.httpStatus === 401) ||
    (isOpenClawError(error) && error.code === 'AUTH_INVALID');
  if (refused && session.value) {
    signOut(`Signed out: ${describeError(error)}`);
    return true;
  }
  return refused;
}

/** The current client; throws when signed out (views only run signed in). */
export function api(): OpenClawClient {
  const current = session.value;
  if (!current) throw new Error('Not signed in');
  return current.client;
}

/** `CODE: message` for an error from the API, else its message. */
export function describeError(error: unknown): string {
  if (isOpenClawError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
