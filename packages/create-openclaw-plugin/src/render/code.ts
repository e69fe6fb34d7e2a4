import type { ParamSpec } from '../param-spec.js';

/** A single-quoted TypeScript string literal. */
export function str(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** `frame_range` → `Frame range`. */
export function humanize(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The command-line flag a param is passed as: `frame_range` → `--frame-range`. */
export function flagOf(name: string): string {
  return `--${name.replace(/_/g, '-')}`;
}

/** The environment variable that may hold the app's path: `hython` → `HYTHON_EXE`. */
export function envVarOf(app: string): string {
  return `${app
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')}_EXE`;
}

/** A value that satisfies the param's schema, used in the generated test and README. */
export function exampleValue(spec: ParamSpec): unknown {
  const one = (() => {
    switch (spec.type) {
      case 'path':
        return `/projects/show/${spec.name}`;
      case 'string':
        return 'example';
      case 'integer':
        return 2;
      case 'number':
        return 1.5;
      case 'boolean':
        return true;
    }
  })();
  return spec.array ? [one] : one;
}

/** The argv the generated handler builds from the example values, app path first. */
export function exampleArgv(appPath: string, params: readonly ParamSpec[]): string[] {
  const argv = [appPath];
  for (const spec of params) {
    const value = exampleValue(spec);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (spec.type === 'boolean') {
        if (item === true) argv.push(flagOf(spec.name));
      } else argv.push(flagOf(spec.name), String(item));
    }
  }
  return argv;
}

/** The example params as an object. */
export function exampleParams(params: readonly ParamSpec[]): Record<string, unknown> {
  return Object.fromEntries(params.map((spec) => [spec.name, exampleValue(spec)]));
}

/** A JSON-ish value as a TypeScript literal with single quotes, on one line. */
export function literal(value: unknown): string {
  if (typeof value === 'string') return str(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : str(key)}: ${literal(item)}`,
    );
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return String(value);
}
