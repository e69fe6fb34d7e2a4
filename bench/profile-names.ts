/** How the profile tools name what a V8 CPU profile sample ran: its package, and its function. */
export interface ProfileCallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

/** The npm package or workspace package of a script URL (node core, or native/GC/idle without one). */
export function packageOf(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ?? /packages\/([^/]+)\//.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node core';
  return url === '' ? '(native / gc / idle)' : url;
}

/** `name dir/dir/file:line`, the key a function is summed under. */
export function functionKey(f: ProfileCallFrame): string {
  return `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-3).join('/')}:${f.lineNumber + 1}`;
}
