const POSIX_ABSOLUTE = /^\/(?!\/)/;
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;
const WINDOWS_UNC = /^\\\\[^\\/?.][^\\/]*[\\/][^\\/]+/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * The `format: "path"` check shared by server and agent: an absolute path on some platform (POSIX,
 * Windows drive or UNC), so it can never be read as a command-line flag, with no control characters.
 * The agent then checks it for its own platform and against `allowed_paths`.
 */
export function isAbsolutePathValue(value: string): boolean {
  if (value.length === 0 || value.length > 4096 || CONTROL_CHARS.test(value)) return false;
  return POSIX_ABSOLUTE.test(value) || WINDOWS_DRIVE.test(value) || WINDOWS_UNC.test(value);
}
