import { OpenClawError } from '@openclaw-node/plugin-sdk';

/**
 * A Nuke node name, optionally inside groups (`Group1.Write_comp`): letters, digits and
 * underscores, never starting with a digit or `-`, never containing `,` (the `-X` list separator).
 */
export const NODE_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$';

/** A view name as Nuke's `--view` takes it (`left`, `right`, `main`). */
export const VIEW_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

/** A Nuke version to pin, `15.1` or `15.1v3`. */
export const VERSION_PIN_PATTERN = '^[0-9]{1,3}\\.[0-9]{1,3}(v[0-9]{1,3})?$';

const NODE_NAME = new RegExp(NODE_NAME_PATTERN);
const VIEW_NAME = new RegExp(VIEW_NAME_PATTERN);

/** Re-check a name that reaches Nuke's argv (the schema already did; the handler does not rely on that). */
export function checkName(value: string, kind: 'node' | 'view', field: string): void {
  const pattern = kind === 'node' ? NODE_NAME : VIEW_NAME;
  if (pattern.test(value) && value.length <= 200) return;
  const allowed = kind === 'node' ? 'letters, digits, _ and . between group names' : 'letters, digits and _';
  throw new OpenClawError(
    'INVALID_PARAMS',
    `${field} must be a Nuke ${kind} name (${allowed}), got "${value.slice(0, 60)}"`,
    {
      details: { field },
    },
  );
}

/** Merge `write_node` and `write_nodes` into one list without duplicates, keeping order. */
export function mergeWriteNodes(single: string | undefined, many: readonly string[] | undefined): string[] {
  const all = [...(single === undefined ? [] : [single]), ...(many ?? [])];
  return [...new Set(all)];
}
