/** The platforms a plugin can support, named as on the wire. */
export const PLATFORMS = ['windows', 'darwin', 'linux'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Map Node's `process.platform` to ours; null for a platform we do not support. */
export function toPlatform(nodePlatform: string): Platform | null {
  if (nodePlatform === 'win32') return 'windows';
  if (nodePlatform === 'darwin' || nodePlatform === 'linux') return nodePlatform;
  return null;
}

export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);
}
