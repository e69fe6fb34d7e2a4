import {
  ACTION_NAME_PATTERN,
  MANIFEST_LIMITS,
  OpenClawError,
  PLUGIN_NAME_PATTERN,
  type PluginHealth,
} from '@openclaw-node/core';

/** Limits on what an agent may report about its health; longer reasons and versions are cut. */
export const HEALTH_LIMITS = {
  /** Loaded plugins plus those skipped for the platform. */
  maxEntries: MANIFEST_LIMITS.maxPlugins + 256,
  maxActions: MANIFEST_LIMITS.maxActions,
  maxName: 128,
  maxReason: 1000,
  maxPath: 4096,
  maxVersion: 128,
  maxOs: 128,
  /** Anything longer is refused, not cut: no honest agent sends it. */
  maxRawString: 16 * 1024,
} as const;

const PLUGIN_NAME = new RegExp(PLUGIN_NAME_PATTERN);
const ACTION_NAME = new RegExp(ACTION_NAME_PATTERN);

/** What a hello says about the agent process besides its plugins. */
export interface HelloFacts {
  startedAt?: string;
  os?: string;
  health?: PluginHealth[];
}

/**
 * Check the optional `startedAt`, `os` and `health` of a hello (types are not validation).
 * Throws INVALID_BODY naming the field; `null` reads as absent.
 */
export function parseHelloFacts(hello: Record<string, unknown>): HelloFacts {
  const facts: HelloFacts = {};
  if (hello.startedAt !== undefined && hello.startedAt !== null) {
    facts.startedAt = readTime(hello.startedAt, 'hello.startedAt');
  }
  if (hello.os !== undefined && hello.os !== null) {
    facts.os = cut(readString(hello.os, 'hello.os'), HEALTH_LIMITS.maxOs);
  }
  if (hello.health !== undefined && hello.health !== null) {
    facts.health = parseHealthList(hello.health, 'hello.health');
  }
  return facts;
}

/**
 * Check a health list (from `hello.health` or a `node:health` event): shapes, counts, one entry per
 * plugin; reasons and versions longer than the limits are cut; sorted by plugin. Throws INVALID_BODY
 * naming the field.
 */
export function parseHealthList(value: unknown, field: string): PluginHealth[] {
  if (!Array.isArray(value)) throw invalid(field, 'must be a list');
  if (value.length > HEALTH_LIMITS.maxEntries) {
    throw invalid(field, `must have at most ${HEALTH_LIMITS.maxEntries} entries`);
  }
  const seen = new Set<string>();
  const list = value.map((entry: unknown, i) => {
    const health = parseEntry(entry, `${field}[${i}]`);
    if (seen.has(health.plugin)) throw invalid(`${field}[${i}].plugin`, `repeats plugin "${health.plugin}"`);
    seen.add(health.plugin);
    return health;
  });
  return list.sort((a, b) => (a.plugin < b.plugin ? -1 : a.plugin > b.plugin ? 1 : 0));
}

function parseEntry(value: unknown, field: string): PluginHealth {
  const entry = readObject(value, field);
  const plugin = readString(entry.plugin, `${field}.plugin`);
  if (plugin.length > HEALTH_LIMITS.maxName || !PLUGIN_NAME.test(plugin)) {
    throw invalid(`${field}.plugin`, 'must be a plugin name');
  }
  const health: PluginHealth = {
    plugin,
    available: readBoolean(entry.available, `${field}.available`),
    checkedAt: readTime(entry.checkedAt, `${field}.checkedAt`),
  };
  const reason = optionalReason(entry.reason, `${field}.reason`);
  if (reason !== undefined) health.reason = reason;
  if (entry.app !== undefined && entry.app !== null) health.app = parseApp(entry.app, `${field}.app`);
  if (entry.actions !== undefined && entry.actions !== null) {
    health.actions = parseActions(entry.actions, `${field}.actions`);
  }
  return health;
}

function parseApp(value: unknown, field: string): NonNullable<PluginHealth['app']> {
  const app = readObject(value, field);
  const path = readString(app.path, `${field}.path`);
  if (path === '' || path.length > HEALTH_LIMITS.maxPath) {
    throw invalid(`${field}.path`, `must be 1 to ${HEALTH_LIMITS.maxPath} characters`);
  }
  if (app.version === undefined || app.version === null) return { path };
  const version = cut(readString(app.version, `${field}.version`), HEALTH_LIMITS.maxVersion);
  return version === '' ? { path } : { path, version };
}

function parseActions(value: unknown, field: string): NonNullable<PluginHealth['actions']> {
  const actions = readObject(value, field);
  const names = Object.keys(actions);
  if (names.length > HEALTH_LIMITS.maxActions) {
    throw invalid(field, `must have at most ${HEALTH_LIMITS.maxActions} actions`);
  }
  const parsed: [string, { available: boolean; reason?: string }][] = [];
  for (const name of names) {
    if (!ACTION_NAME.test(name))
      throw invalid(field, `has "${name.slice(0, 64)}", which is not an action name`);
    const entry = readObject(actions[name], `${field}.${name}`);
    const available = readBoolean(entry.available, `${field}.${name}.available`);
    const reason = optionalReason(entry.reason, `${field}.${name}.reason`);
    parsed.push([name, reason === undefined ? { available } : { available, reason }]);
  }
  return Object.fromEntries(parsed);
}

function optionalReason(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const reason = cut(readString(value, field).trim(), HEALTH_LIMITS.maxReason);
  return reason === '' ? undefined : reason;
}

function readTime(value: unknown, field: string): string {
  const text = readString(value, field);
  const time = text.length <= 64 ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(time)) throw invalid(field, 'must be an ISO 8601 date-time');
  return new Date(time).toISOString();
}

function readString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length > HEALTH_LIMITS.maxRawString) {
    throw invalid(field, `must be at most ${HEALTH_LIMITS.maxRawString} characters`);
  }
  return value;
}

function readBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(field, 'must be true or false');
  return value;
}

function readObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function invalid(field: string, message: string): OpenClawError {
  return new OpenClawError('INVALID_BODY', `${field} ${message}`, { details: { field } });
}
