/** A ShotGrid entity as the actions return it: `type`, `id`, attributes and link fields side by side. */
export type FlatRecord = { type: string; id: number } & Record<string, unknown>;

/**
 * Flatten a REST record (`{type, id, attributes, relationships: {f: {data}}}`, APPS.md §5.2) so link
 * fields read like the Python API's: `{ sg_sequence: { type, id, name } }`.
 */
export function flattenRecord(record: unknown): FlatRecord | null {
  if (typeof record !== 'object' || record === null) return null;
  const { type, id, attributes, relationships } = record as Record<string, unknown>;
  if (typeof type !== 'string' || typeof id !== 'number') return null;
  const flat: FlatRecord = { type, id };
  if (typeof attributes === 'object' && attributes !== null) Object.assign(flat, attributes);
  if (typeof relationships === 'object' && relationships !== null) {
    for (const [field, value] of Object.entries(relationships as Record<string, unknown>)) {
      flat[field] = typeof value === 'object' && value !== null && 'data' in value ? value.data : null;
    }
  }
  return flat;
}

/** The `data` of a single-record answer, flattened. */
export function recordOf(body: unknown): FlatRecord | null {
  return typeof body === 'object' && body !== null ? flattenRecord((body as { data?: unknown }).data) : null;
}
