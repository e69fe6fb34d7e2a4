/** What a source found for one `plugins:` entry: the value to check and where it came from. */
export interface ResolvedPlugin {
  /** The plugin definition, unchecked (the catalog checks the brand, SDK version and manifest). */
  value: unknown;
  /** For messages: `built-in plugins`, or the file that was imported. */
  from: string;
}

/**
 * Where `plugins:` entries of node_config.yaml come from: the built-in registry, installed npm
 * packages, absolute paths. The catalog asks each source in order; the first that has the entry wins.
 */
export interface PluginSource {
  /** For messages: "built-in plugins". */
  readonly label: string;
  /** The plugin `entry` names, or undefined when this source has no such entry. Throws when it has it but it is broken. */
  resolve(entry: string): Promise<ResolvedPlugin | undefined>;
  /** Entries this source can offer, for "not found" messages. */
  known(): string[];
  /** Where this source looked for an entry it does not have, for "not found" messages. */
  explainMiss?(entry: string): string | undefined;
}

/** A source backed by an in-memory map of definitions, e.g. builtinPlugins. */
export function createRegistrySource(
  registry: Record<string, unknown>,
  label = 'built-in plugins',
): PluginSource {
  return {
    label,
    async resolve(entry) {
      return Object.hasOwn(registry, entry) ? { value: registry[entry], from: label } : undefined;
    },
    known: () => Object.keys(registry).sort(),
  };
}
