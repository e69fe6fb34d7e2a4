import { createHash } from 'node:crypto';
import {
  OpenClawError,
  PLATFORMS,
  createSchemaCompiler,
  stableStringify,
  type CatalogPlugin,
  type JsonSchema,
  type Platform,
  type PluginManifest,
  type PluginsResponse,
  type Validator,
} from '@openclaw-node/core';
import { catalogHealth } from './health/health-views.js';
import type { AdvertisedPlugin, NodeRegistry, NodeSession } from './node-registry.js';
import { compareVersions } from './semver-order.js';

/** The part of core's schema compiler the catalog uses (injectable to count compiles in tests). */
export interface ParamsCompiler {
  compile(schema: JsonSchema, root?: string): Validator;
  ajv: { removeSchema(schema: object): unknown };
}

export interface PluginCatalogOptions {
  compiler?: ParamsCompiler;
  /** Validators of manifests no node advertises any more, kept for reconnects. Default 64. */
  retainReleased?: number;
}

interface CompiledManifest {
  manifest: PluginManifest;
  refs: number;
  validators: Map<string, Validator>;
}

/** SHA-256 of the manifest's stable JSON: equal manifests share one set of compiled validators. */
export function hashManifest(manifest: PluginManifest): string {
  return createHash('sha256').update(stableStringify(manifest)).digest('hex');
}

/**
 * The plugins connected nodes advertise: compiled param validators per distinct manifest (compiled
 * once, at hello), and the `/api/plugins` view, cached until a node connects or leaves.
 */
export class PluginCatalog {
  readonly #compiler: ParamsCompiler;
  readonly #retain: number;
  readonly #compiled = new Map<string, CompiledManifest>();
  /** Hashes with no references, oldest first. */
  readonly #released = new Set<string>();
  readonly #hashes = new WeakMap<PluginManifest, string>();
  readonly #nodes: () => NodeSession[];
  #view: PluginsResponse | undefined;

  constructor(registry: NodeRegistry, options: PluginCatalogOptions = {}) {
    this.#compiler = options.compiler ?? createSchemaCompiler({ allErrors: false });
    this.#retain = options.retainReleased ?? 64;
    registry.onChange(({ type, session }) => {
      this.#view = undefined;
      if (type === 'unregister') this.release(session.plugins.values());
    });
    this.#nodes = () => registry.list();
  }

  /** Hash the manifests and compile validators for new ones; throws MANIFEST_INVALID. Pair with release(). */
  admit(manifests: readonly PluginManifest[]): AdvertisedPlugin[] {
    const admitted: AdvertisedPlugin[] = [];
    try {
      for (const manifest of manifests) {
        const hash = this.#hashOf(manifest);
        const entry = this.#compiled.get(hash) ?? this.#compile(manifest, hash);
        entry.refs += 1;
        this.#released.delete(hash);
        admitted.push({ manifest, hash });
      }
    } catch (error) {
      this.release(admitted);
      throw error;
    }
    return admitted;
  }

  /** Hashed once per manifest object: hellos share one object per distinct manifest (gateway/manifest-memo). */
  #hashOf(manifest: PluginManifest): string {
    let hash = this.#hashes.get(manifest);
    if (hash === undefined) this.#hashes.set(manifest, (hash = hashManifest(manifest)));
    return hash;
  }

  /** Drop one reference to each plugin's compiled validators. */
  release(plugins: Iterable<AdvertisedPlugin>): void {
    for (const { hash } of plugins) {
      const entry = this.#compiled.get(hash);
      if (!entry || entry.refs === 0) continue;
      entry.refs -= 1;
      if (entry.refs === 0) this.#released.add(hash);
    }
    for (const hash of this.#released) {
      if (this.#released.size <= this.#retain) break;
      this.#released.delete(hash);
      this.#compiled.delete(hash);
    }
  }

  /**
   * The manifest of this hash, if a node advertises it or advertised it lately (the retained ones): what
   * a hello's `pluginRefs` may name. Only manifests that validated and compiled are here, each under
   * the hash computed from its own text, so an agent cannot put a manifest under another's ref.
   */
  known(hash: string): PluginManifest | undefined {
    return this.#compiled.get(hash)?.manifest;
  }

  /** The compiled params validator of one action of an admitted manifest. */
  validator(hash: string, action: string): Validator | undefined {
    return this.#compiled.get(hash)?.validators.get(action);
  }

  /** `GET /api/plugins`, rebuilt only after a node connected, left or reported a health change. */
  response(): PluginsResponse {
    if (!this.#view) {
      const plugins = buildCatalog(this.#nodes());
      this.#view = { plugins, count: plugins.length };
    }
    return this.#view;
  }

  /** The catalog built from the nodes `visible` keeps (for node-scoped callers; not cached). */
  responseFor(visible: (nodeId: string) => boolean): PluginsResponse {
    const plugins = buildCatalog(this.#nodes().filter((session) => visible(session.nodeId)));
    return { plugins, count: plugins.length };
  }

  /** One plugin of the catalog. */
  get(name: string): CatalogPlugin | undefined {
    return this.response().plugins.find((p) => p.name === name);
  }

  #compile(manifest: PluginManifest, hash: string): CompiledManifest {
    const validators = new Map<string, Validator>();
    for (const [action, definition] of Object.entries(manifest.actions)) {
      try {
        validators.set(action, this.#compiler.compile(definition.params, 'params'));
      } catch (cause) {
        throw new OpenClawError(
          'MANIFEST_INVALID',
          `plugin ${manifest.name}: manifest.actions.${action}.params cannot be compiled: ${cause instanceof Error ? cause.message : String(cause)}`,
          { details: { plugin: manifest.name, field: `manifest.actions.${action}.params` }, cause },
        );
      } finally {
        // Forget the schema in ajv's registry: two plugins may reuse a `$id`, and we hold the function.
        this.#compiler.ajv.removeSchema(definition.params);
      }
    }
    const entry: CompiledManifest = { manifest, refs: 0, validators };
    this.#compiled.set(hash, entry);
    return entry;
  }
}

function buildCatalog(sessions: readonly NodeSession[]): CatalogPlugin[] {
  const byName = new Map<string, { session: NodeSession; manifest: PluginManifest }[]>();
  for (const session of sessions) {
    for (const { manifest } of session.plugins.values()) {
      const list = byName.get(manifest.name) ?? [];
      list.push({ session, manifest });
      byName.set(manifest.name, list);
    }
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, entries]) => {
      const versions = [...new Set(entries.map((e) => e.manifest.version))].sort((a, b) =>
        compareVersions(b, a),
      );
      const newest = entries.find((e) => e.manifest.version === versions[0])!.manifest;
      const platforms = new Set<Platform>(entries.flatMap((e) => e.manifest.platforms));
      return {
        name,
        description: newest.description,
        versions,
        platforms: PLATFORMS.filter((p) => platforms.has(p)),
        actions: newest.actions,
        ...(newest.errors ? { errors: newest.errors } : {}),
        nodes: entries.map((e) => ({
          node_id: e.session.nodeId,
          version: e.manifest.version,
          platform: e.session.platform,
          ...catalogHealth(e.session, name),
        })),
      };
    });
}
