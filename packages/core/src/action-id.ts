import { OpenClawError } from './errors.js';

export const PLUGIN_NAME_PATTERN = '^[a-z][a-z0-9-]{0,62}[a-z0-9]$|^[a-z]$';
export const ACTION_NAME_PATTERN = '^[a-z][a-z0-9_]{0,63}$';
const pluginName = new RegExp(PLUGIN_NAME_PATTERN);
const actionName = new RegExp(ACTION_NAME_PATTERN);

export interface ActionId {
  plugin: string;
  action: string;
}

/** Split `rv.open_sources` into plugin and action, or throw INVALID_ACTION_ID naming the field. */
export function parseActionId(id: unknown, field = 'action'): ActionId {
  if (typeof id === 'string') {
    const dot = id.indexOf('.');
    const plugin = id.slice(0, dot);
    const action = id.slice(dot + 1);
    if (dot > 0 && pluginName.test(plugin) && actionName.test(action)) return { plugin, action };
  }
  throw new OpenClawError(
    'INVALID_ACTION_ID',
    `${field} must have the form plugin.action (e.g. explorer.open_folder), got ${JSON.stringify(id)?.slice(0, 80) ?? 'nothing'}`,
    { details: { field } },
  );
}

export function formatActionId(id: ActionId): string {
  return `${id.plugin}.${id.action}`;
}
