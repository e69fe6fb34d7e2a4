/**
 * Quote one argument for `ExecStart=`: systemd unquotes C-style (`\\`, `\"`), expands `%`
 * specifiers and `$VAR` references, so a word with anything but plain characters is escaped and
 * double-quoted.
 * @example systemdExecArg('/opt/open claw/bin.js') // '"/opt/open claw/bin.js"'
 */
export function systemdExecArg(arg: string): string {
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(arg)) return arg;
  return `"${arg
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/%/g, '%%')
    .replace(/\$/g, '$$$$')}"`;
}

/** A whole `ExecStart=` command line from an argv array. */
export function systemdExecLine(argv: readonly string[]): string {
  return argv.map(systemdExecArg).join(' ');
}

/** One `Environment=` assignment: quoted and `%`-escaped; `$` has no meaning there. */
export function systemdEnvironmentAssignment(name: string, value: string): string {
  return `"${`${name}=${value}`.replace(/[\\"]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
}

/** A path for settings that expand specifiers but do not unquote (`StandardOutput=append:`). */
export function systemdSpecifierEscape(value: string): string {
  return value.replace(/%/g, '%%');
}
