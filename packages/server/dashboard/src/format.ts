import type { JobStateName } from '@openclaw-node/client';

// eslint-disable-next-line no-control-regex
const CONTROL = /\u001b\[[0-9;?]*[ -/]*[@-~]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Agent-supplied text for display: escape sequences and control characters removed (Preact already
 * renders it as text, never as markup).
 */
export function plain(text: string | number | null | undefined): string {
  return String(text ?? '').replace(CONTROL, '');
}

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return '—';
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${Math.round((ms % 60_000) / 1000)}s`;
}

export function uptime(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  return duration(seconds * 1000);
}

export const TERMINAL_STATES: readonly JobStateName[] = [
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'lost',
  'expired',
];

export const JOB_STATES: readonly JobStateName[] = ['queued', 'running', ...TERMINAL_STATES];

export function isTerminal(state: JobStateName): boolean {
  return TERMINAL_STATES.includes(state);
}
