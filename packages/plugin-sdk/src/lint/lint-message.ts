/** How bad a finding is: an error fails `openclaw plugin validate`, a warning does not. */
export type LintLevel = 'error' | 'warning';

/** Which check produced a message; stable, so tools can filter on it. */
export type LintRule =
  | 'load'
  | 'manifest'
  | 'name'
  | 'platforms'
  | 'sdk-version'
  | 'handler'
  | 'description'
  | 'path-format'
  | 'additional-properties'
  | 'required'
  | 'param-name'
  | 'free-string'
  | 'result-schema'
  | 'ping'
  | 'package';

/** One finding about a plugin. */
export interface LintMessage {
  level: LintLevel;
  /** Absolute path of the file at fault: the plugin's source (or built entry), or its package.json. */
  file: string;
  /** Where in the plugin definition: `actions.render.params.properties.script`, `platforms[1]`, `name`. */
  field: string;
  message: string;
  rule: LintRule;
}

/** Counts per level, for a summary line and the exit code. */
export function countLintMessages(messages: readonly LintMessage[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const message of messages) if (message.level === 'error') errors++;
  return { errors, warnings: messages.length - errors };
}

/** `field` + `.key`, or `["odd key"]` for a key that is not an identifier, as in params error fields. */
export function childField(field: string, key: string | number): string {
  if (typeof key === 'number') return `${field}[${key}]`;
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return field === '' ? safe.replace(/^\./, '') : `${field}${safe}`;
}
