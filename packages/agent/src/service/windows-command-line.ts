/**
 * Quote one argument the way CommandLineToArgvW and the MSVC runtime (and so node.exe) split it:
 * backslashes are literal unless they precede a quote, where they are doubled.
 * @example windowsQuoteArg('C:\\Program Files\\x\\') // '"C:\\Program Files\\x\\\\"'
 */
export function windowsQuoteArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let quoted = '"';
  let backslashes = 0;
  for (const char of arg) {
    if (char === '\\') {
      backslashes++;
    } else if (char === '"') {
      quoted += `${'\\'.repeat(backslashes * 2 + 1)}"`;
      backslashes = 0;
    } else {
      quoted += `${'\\'.repeat(backslashes)}${char}`;
      backslashes = 0;
    }
  }
  return `${quoted}${'\\'.repeat(backslashes * 2)}"`;
}

/** A whole Windows command line (the part after the program) from an argv array. */
export function windowsCommandLine(args: readonly string[]): string {
  return args.map(windowsQuoteArg).join(' ');
}

/** True when Task Scheduler would expand part of the value as an environment variable (`%NAME%`). */
export function hasWindowsEnvReference(value: string): boolean {
  return /%[^%\s]+%/.test(value);
}
