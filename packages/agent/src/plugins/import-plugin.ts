import { isPluginDefinition } from '@openclaw-node/plugin-sdk';
import { importPluginModule, resolvePluginEntry } from '@openclaw-node/plugin-sdk/lint';
import type { ResolvedPlugin } from './plugin-source.js';

const SDK_PACKAGE = '@openclaw-node/plugin-sdk';

/**
 * Import the plugin in a package folder or module file (the SDK's own resolution: `exports["."]`,
 * then `main`, then `index.js`) and take its default export. Throws an Error saying what is wrong
 * with the module; the catalog names the entry.
 */
export async function importPlugin(target: string): Promise<ResolvedPlugin> {
  const { entry } = await resolvePluginEntry(target);
  const namespace = await importPluginModule(entry);
  return { value: pluginFromModule(namespace, entry), from: entry };
}

/**
 * The plugin a module exports. A CommonJS build of `export default` (`exports.default = …`) is
 * unwrapped; anything else that is not a plugin gets a message saying what to export instead.
 */
export function pluginFromModule(namespace: Record<string, unknown>, file: string): unknown {
  const value = namespace.default;
  if (isPluginDefinition(value)) return value;
  const nested = (value as { default?: unknown } | null | undefined)?.default;
  if (isPluginDefinition(nested)) return nested;
  const named = Object.entries(namespace).find(
    ([key, exported]) => key !== 'default' && isPluginDefinition(exported),
  )?.[0];
  if (named) {
    throw new Error(
      `${file} exports the plugin as "${named}", but the agent takes the default export: add export default ${named}`,
    );
  }
  if (value === undefined) {
    throw new Error(
      `${file} has no default export: write export default definePlugin({ … }) from ${SDK_PACKAGE}`,
    );
  }
  throw new Error(
    `the default export of ${file} is ${describeValue(value)}, not a plugin made with definePlugin() from ${SDK_PACKAGE}`,
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
