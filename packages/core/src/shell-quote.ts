const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quote one argument for a POSIX shell, for a command line a person reads or copies (never to run
 * one: processes start from argument arrays). As is when safe, else in single quotes. `~` is not
 * safe: unquoted, a shell would expand it.
 */
export function shellQuote(arg: string): string {
  return SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line from an argument array, every argument quoted as needed. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
