/** Quote a path or value for a command a person copies from a fix (POSIX shells; plain when safe). */
export function shellArg(value: string): string {
  return /^[\w@%+=:,./~-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
