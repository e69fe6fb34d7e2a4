import { builtinModules } from 'node:module';
import { ScaffoldError } from './errors.js';

/** The platforms a plugin can support, named as on the wire (core's PLATFORMS). */
export const PLATFORMS = ['windows', 'darwin', 'linux'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Same as core's PLUGIN_NAME_PATTERN (a test keeps them equal): the scaffolder imports nothing. */
export const PLUGIN_NAME_PATTERN = '^[a-z][a-z0-9-]{0,62}[a-z0-9]$|^[a-z]$';
/** Same as core's ACTION_NAME_PATTERN. */
export const ACTION_NAME_PATTERN = '^[a-z][a-z0-9_]{0,63}$';

const pluginNameRegex = new RegExp(PLUGIN_NAME_PATTERN);
const actionNameRegex = new RegExp(ACTION_NAME_PATTERN);
const PACKAGE_PREFIXES = ['openclaw-node-plugin-', 'openclaw-plugin-'];
const PACKAGE_SUFFIXES = ['-openclaw-node-plugin', '-openclaw-plugin'];
const RESERVED_PACKAGE_NAMES = new Set(['node_modules', 'favicon.ico']);

/** Check a package name against npm's rules for new packages; throws ScaffoldError naming the rule. */
export function validatePackageName(name: string): string {
  const fail = (why: string): never => {
    throw new ScaffoldError('name', `"${name}" is not a valid npm package name: ${why}`);
  };
  if (name.length === 0) fail('it is empty');
  if (name.trim() !== name) fail('it has leading or trailing spaces');
  if (name.length > 214) fail('it is longer than 214 characters');
  if (name !== name.toLowerCase()) fail('it must be lower-case');
  if (RESERVED_PACKAGE_NAMES.has(name)) fail('that name is reserved');
  if (builtinModules.includes(name)) fail('it is the name of a Node.js core module');
  const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
  if (name.startsWith('@') && !scoped) fail('a scoped name has the form @scope/name');
  for (const part of scoped ? [scoped[1]!, scoped[2]!] : [name]) {
    if (part.startsWith('.') || part.startsWith('_')) fail('it cannot start with "." or "_"');
    if (/[~'!()*]/.test(part)) fail("it cannot contain ~ ' ! ( ) *");
    if (encodeURIComponent(part) !== part)
      fail('it may only contain URL-safe characters (letters, digits, "-", ".", "_")');
  }
  return name;
}

/** The package name without its scope: `@studio/houdini` → `houdini`. */
export function unscopedName(packageName: string): string {
  return packageName.startsWith('@') ? packageName.slice(packageName.indexOf('/') + 1) : packageName;
}

/**
 * The plugin name (action ids are `<plugin>.<action>`) for a package name: the scope and an
 * `openclaw-plugin-` prefix are dropped, and anything but letters, digits and `-` becomes `-`.
 * @example derivePluginName('@studio/openclaw-plugin-houdini') // 'houdini'
 */
export function derivePluginName(packageName: string): string {
  let base = unscopedName(packageName);
  for (const prefix of PACKAGE_PREFIXES)
    if (base.startsWith(prefix) && base.length > prefix.length) base = base.slice(prefix.length);
  for (const suffix of PACKAGE_SUFFIXES)
    if (base.endsWith(suffix) && base.length > suffix.length) base = base.slice(0, -suffix.length);
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  if (!pluginNameRegex.test(name)) {
    throw new ScaffoldError(
      'name',
      `cannot derive a plugin name from "${packageName}": give one with --plugin-name (lower-case letters, digits and "-", starting with a letter)`,
    );
  }
  return name;
}

/** Check a plugin name: lower-case letters, digits and `-`, starting with a letter, at most 64. */
export function validatePluginName(name: string, field = '--plugin-name'): string {
  if (!pluginNameRegex.test(name)) {
    throw new ScaffoldError(
      field,
      `"${name}" is not a valid plugin name: use 1-64 lower-case letters, digits and "-", starting with a letter and not ending with "-" (e.g. houdini, deadline-submit)`,
    );
  }
  return name;
}

/** Check an action name: snake_case, starting with a letter; `ping` is generated anyway. */
export function validateActionName(name: string, field = '--action'): string {
  if (!actionNameRegex.test(name)) {
    throw new ScaffoldError(
      field,
      `"${name}" is not a valid action name: use lower-case letters, digits and "_", starting with a letter (e.g. render, submit_job)`,
    );
  }
  if (name === 'ping')
    throw new ScaffoldError(
      field,
      'every plugin gets a ping action already: choose another name for the first action',
    );
  return name;
}

/** Parse `windows,darwin,linux` (also `win32`, `macos`, `all`) into a list of platforms. */
export function parsePlatforms(value: string, field = '--platforms'): Platform[] {
  const aliases: Record<string, Platform> = {
    win32: 'windows',
    win: 'windows',
    macos: 'darwin',
    mac: 'darwin',
    osx: 'darwin',
  };
  const out: Platform[] = [];
  for (const raw of value.split(/[\s,]+/).filter(Boolean)) {
    const item = raw.toLowerCase();
    if (item === 'all') return [...PLATFORMS];
    const platform = aliases[item] ?? item;
    if (!(PLATFORMS as readonly string[]).includes(platform)) {
      throw new ScaffoldError(
        field,
        `unknown platform "${raw}": use ${PLATFORMS.join(', ')} (comma-separated) or all`,
      );
    }
    if (!out.includes(platform as Platform)) out.push(platform as Platform);
  }
  if (out.length === 0) throw new ScaffoldError(field, `name at least one platform: ${PLATFORMS.join(', ')}`);
  return PLATFORMS.filter((p) => out.includes(p));
}

/** Check a dependency range for the SDK: a version or range, or a `file:`/`link:`/`workspace:` spec. */
export function validateSdkRange(value: string): string {
  const semverRange =
    /^(?:[~^]|>=|<=|>|<|=)?\s*v?\d+(?:\.(?:\d+|x|\*)){0,2}(?:-[0-9A-Za-z.-]+)?(?:\s*(?:\|\||-|\s)\s*[~^<>=]*\s*v?\d+(?:\.(?:\d+|x|\*)){0,2}(?:-[0-9A-Za-z.-]+)?)*$/;
  const protocol = /^(?:file|link|workspace|npm):\S+$/;
  if (value === '*' || value === 'latest' || semverRange.test(value) || protocol.test(value)) return value;
  throw new ScaffoldError(
    '--sdk-version',
    `"${value}" is not a version range: use e.g. ^0.1.0, 0.1.x, latest or file:../plugin-sdk`,
  );
}
