const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one argument for a POSIX shell: as is when safe, else in single quotes. */
export function shellQuote(arg: string): string {
  return SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line from an argument array, every argument quoted as needed. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
