/**
 * Where `plugins:` entries of node_config.yaml come from. Built-ins are one source; npm packages and
 * local paths slot in later as further sources, tried in order.
 */
export interface PluginSource {
  /** For messages: "built-in plugins". */
  readonly label: string;
  /** The plugin `entry` names, unchecked (the catalog checks it), or undefined when unknown here. */
  resolve(entry: string): Promise<unknown>;
  /** Entries this source can offer, for "not found" messages. */
  known(): string[];
}

/** A source backed by an in-memory map of definitions, e.g. builtinPlugins. */
export function createRegistrySource(
  registry: Record<string, unknown>,
  label = 'built-in plugins',
): PluginSource {
  return {
    label,
    async resolve(entry) {
      return Object.hasOwn(registry, entry) ? registry[entry] : undefined;
    },
    known: () => Object.keys(registry).sort(),
  };
}
