import path from 'node:path';
import { isOpenClawError, validateManifest } from '@openclaw-node/core';
import { isPluginDefinition, type PluginDefinition } from '../define.js';
import { toManifest } from '../manifest.js';
import type { LintMessage } from './lint-message.js';
import {
  PluginLoadProblem,
  importPluginModule,
  resolvePluginEntry,
  sourceFileOf,
  type PluginEntry,
} from './load-plugin-module.js';
import { lintDefinitionFields } from './plugin-rules.js';

const SDK_PACKAGE = '@openclaw-node/plugin-sdk';

/**
 * Load a plugin (a package folder, or its built `.js` / source `.ts` file) and check it the way an
 * agent will, and more: the manifest, names, platforms, `format: "path"` on path-like params,
 * descriptions, closed param objects, the SDK major version. Never throws for a bad plugin: every
 * problem, loading included, is a message.
 * @example const messages = await lintPlugin('./openclaw-plugin-houdini'); console.log(formatLintMessages(messages))
 */
export async function lintPlugin(target: string): Promise<LintMessage[]> {
  let entry: PluginEntry;
  let moduleNamespace: Record<string, unknown>;
  try {
    entry = await resolvePluginEntry(target);
    moduleNamespace = await importPluginModule(entry.entry);
  } catch (error) {
    if (error instanceof PluginLoadProblem)
      return [{ level: 'error', rule: 'load', file: error.file, field: error.field, message: error.message }];
    throw error;
  }
  const file = sourceFileOf(entry.entry, entry.packageDir);
  const plugin = moduleNamespace.default;
  if (!isPluginDefinition(plugin)) {
    const named = Object.entries(moduleNamespace).find(([, value]) => isPluginDefinition(value))?.[0];
    const message = named
      ? `the plugin is the export "${named}", but an agent takes the default export: write export default definePlugin(...)`
      : `the default export is not a plugin made with definePlugin() from ${SDK_PACKAGE}`;
    return [{ level: 'error', rule: 'load', file, field: 'default', message }];
  }
  return [...lintPluginDefinition(plugin, { file }), ...lintPackageJson(entry, plugin)];
}

/** Check a plugin definition already in hand; `file` is what the messages point at. */
export function lintPluginDefinition(plugin: unknown, options: { file: string }): LintMessage[] {
  const { file } = options;
  if (!isPluginDefinition(plugin)) {
    return [
      {
        level: 'error',
        rule: 'load',
        file,
        field: 'default',
        message: `not a plugin made with definePlugin() from ${SDK_PACKAGE}`,
      },
    ];
  }
  const messages: LintMessage[] = lintDefinitionFields(plugin as unknown as Record<string, unknown>).map(
    (finding) => ({ ...finding, file }),
  );
  const manifestProblem = checkManifest(plugin);
  // The core validator stops at its first error; report it unless a finding above already covers that field.
  if (
    manifestProblem &&
    !messages.some((m) => m.level === 'error' && overlaps(m.field, manifestProblem.field))
  ) {
    messages.push({ level: 'error', rule: 'manifest', file, ...manifestProblem });
  }
  return messages;
}

function checkManifest(plugin: PluginDefinition): { field: string; message: string } | undefined {
  try {
    validateManifest(toManifest(plugin));
    return undefined;
  } catch (error) {
    if (!isOpenClawError(error))
      return { field: 'manifest', message: `the manifest cannot be built: ${(error as Error).message}` };
    const raw = typeof error.details?.field === 'string' ? error.details.field : 'manifest';
    const field = raw === 'manifest' ? 'manifest' : raw.replace(/^manifest\./, '');
    return { field, message: error.message.replace(/^plugin [^:]*: /, '') };
  }
}

function overlaps(a: string, b: string): boolean {
  return (
    a === b ||
    a.startsWith(`${b}.`) ||
    b.startsWith(`${a}.`) ||
    a.startsWith(`${b}[`) ||
    b.startsWith(`${a}[`)
  );
}

function lintPackageJson(entry: PluginEntry, plugin: PluginDefinition): LintMessage[] {
  const { packageJson, packageDir } = entry;
  if (!packageJson || !packageDir) return [];
  const file = path.join(packageDir, 'package.json');
  const messages: LintMessage[] = [];
  const section = (key: string): Record<string, unknown> => {
    const value = packageJson[key];
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  };
  const declared = (packageJson.openclaw as { plugin?: unknown } | undefined)?.plugin;
  if (declared !== undefined && declared !== plugin.name) {
    messages.push({
      level: 'error',
      rule: 'package',
      file,
      field: 'openclaw.plugin',
      message: `package.json says the plugin is ${JSON.stringify(declared)}, but the code defines "${plugin.name}"`,
    });
  }
  const isSdkItself = packageJson.name === SDK_PACKAGE;
  if (
    !isSdkItself &&
    !Object.hasOwn(section('dependencies'), SDK_PACKAGE) &&
    !Object.hasOwn(section('peerDependencies'), SDK_PACKAGE)
  ) {
    messages.push({
      level: 'warning',
      rule: 'package',
      file,
      field: 'dependencies',
      message: `${SDK_PACKAGE} is not in dependencies: the built plugin imports it, so an install without dev dependencies would fail to load`,
    });
  }
  const files = packageJson.files;
  const relative = path.relative(packageDir, entry.entry).split(path.sep).join('/');
  if (
    Array.isArray(files) &&
    !relative.startsWith('..') &&
    !files.some((pattern) => typeof pattern === 'string' && coversFile(pattern, relative))
  ) {
    messages.push({
      level: 'warning',
      rule: 'package',
      file,
      field: 'files',
      message: `files does not include ${relative}: npm publish would leave out the plugin's entry`,
    });
  }
  return messages;
}

function coversFile(pattern: string, relative: string): boolean {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean.includes('*'))
    return new RegExp(
      `^${clean
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*')}`,
    ).test(relative);
  return relative === clean || relative.startsWith(`${clean}/`);
}
