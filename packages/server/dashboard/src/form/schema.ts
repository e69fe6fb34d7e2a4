/** A JSON Schema as the form reads it: only what it can render; anything else is edited as JSON. */
export interface FieldSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  title?: string;
  description?: string;
  default?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  items?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  required?: string[];
  writeOnly?: boolean;
  secret?: boolean;
}

export type FieldKind =
  'enum' | 'boolean' | 'integer' | 'number' | 'string' | 'list' | 'choices' | 'object' | 'json';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema's single non-null type, if it has one. */
export function mainType(schema: FieldSchema): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null') : [schema.type];
  return types.length === 1 && typeof types[0] === 'string' ? types[0] : undefined;
}

/** How a field is edited; an agent's schema is hostile input, so anything odd falls back to JSON. */
export function kindOf(schema: unknown): FieldKind {
  if (!isRecord(schema)) return 'json';
  const s = schema as FieldSchema;
  if (Array.isArray(s.enum) && s.enum.length > 0 && s.enum.length <= 200) return 'enum';
  const type = mainType(s);
  if (type === 'boolean' || type === 'integer' || type === 'number' || type === 'string') return type;
  if (type === 'array' && isRecord(s.items)) {
    const items = s.items;
    if (Array.isArray(items.enum) && items.enum.length > 0 && items.enum.length <= 50) return 'choices';
    const itemType = mainType(items);
    if (itemType === 'string' || itemType === 'integer' || itemType === 'number') return 'list';
  }
  if (type === 'object' && isRecord(s.properties)) return 'object';
  return 'json';
}

/** The field's label: its title, else its property name. */
export function labelOf(name: string, schema: FieldSchema): string {
  return typeof schema.title === 'string' && schema.title ? schema.title : name;
}

/** Initial values: the schema's defaults, recursively for objects. */
export function defaultsOf(schema: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isRecord(schema) || !isRecord(schema.properties)) return out;
  for (const [name, field] of Object.entries(schema.properties)) {
    if (!isRecord(field)) continue;
    if (field.default !== undefined) out[name] = field.default;
    else if (kindOf(field) === 'object') {
      const nested = defaultsOf(field);
      if (Object.keys(nested).length > 0) out[name] = nested;
    }
  }
  return out;
}

/** `params.a.b` for property `b` of `params.a`, quoted as the server's field names are. */
export function childPath(parent: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${parent}.${name}` : `${parent}[${JSON.stringify(name)}]`;
}
