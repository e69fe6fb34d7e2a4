import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One built dashboard file, held in memory with its gzip and ETag. */
export interface DashboardFile {
  body: Buffer;
  gzip: Buffer;
  type: string;
  etag: string;
}

/** URL path → file name in the built folder: the page and its two assets, nothing else is served. */
export const DASHBOARD_ROUTES: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/assets/app.js': 'assets/app.js',
  '/assets/app.css': 'assets/app.css',
  '/assets/icon.svg': 'assets/icon.svg',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Where the build put the dashboard: `dist/dashboard` of this package, found from the bundled
 * `dist/index.js` or from the sources (tests run those).
 */
export function defaultDashboardDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.join(here, 'dashboard'), path.join(here, '../../../dist/dashboard')]) {
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

/** Read every file of DASHBOARD_ROUTES that exists under `dir` (the page must). */
export async function loadDashboardFiles(dir: string): Promise<Map<string, DashboardFile>> {
  const files = new Map<string, DashboardFile>();
  for (const name of new Set(Object.values(DASHBOARD_ROUTES))) {
    const body = await readFile(path.join(dir, name)).catch(() => undefined);
    if (!body) continue;
    files.set(name, {
      body,
      gzip: gzipSync(body, { level: 9 }),
      type: TYPES[path.extname(name)] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
  }
  return files;
}
