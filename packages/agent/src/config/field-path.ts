/** Append an object key or array index to a field path: `plugin_config.rv.path`, `allowed_paths[0]`. */
export function childField(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const name = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  if (parent === '') return name;
  return name.startsWith('"') ? `${parent}[${name}]` : `${parent}.${name}`;
}
