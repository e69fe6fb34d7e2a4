import { parseArgs } from 'node:util';
import { ScaffoldError } from './errors.js';

/** The command line, parsed but not yet validated. */
export interface CliFlags {
  /** The package name (first positional). */
  name: string | undefined;
  description: string | undefined;
  platforms: string | undefined;
  action: string | undefined;
  /** Every `--param` value as given; undefined when no `--param` was passed. */
  params: string[] | undefined;
  app: string | undefined;
  dir: string | undefined;
  sdkVersion: string | undefined;
  pluginName: string | undefined;
  force: boolean;
  yes: boolean;
  help: boolean;
  version: boolean;
}

const OPTIONS = {
  description: { type: 'string', short: 'd' },
  platforms: { type: 'string', short: 'p' },
  action: { type: 'string', short: 'a' },
  param: { type: 'string', multiple: true },
  app: { type: 'string' },
  dir: { type: 'string' },
  'sdk-version': { type: 'string' },
  'plugin-name': { type: 'string' },
  force: { type: 'boolean', short: 'f', default: false },
  yes: { type: 'boolean', short: 'y', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

/** Parse argv (without node and the script); unknown flags and extra positionals are ScaffoldErrors. */
export function parseCliArgs(argv: readonly string[]): CliFlags {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ScaffoldError('argv', `${describeParseError(error as Error & { code?: string })} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new ScaffoldError(
      'argv',
      `expected one package name, got ${positionals.length}: ${positionals.join(' ')} (quote a description with spaces)`,
    );
  }
  return {
    name: positionals[0],
    description: values.description,
    platforms: values.platforms,
    action: values.action,
    params: values.param,
    app: values.app,
    dir: values.dir,
    sdkVersion: values['sdk-version'],
    pluginName: values['plugin-name'],
    force: values.force,
    yes: values.yes,
    help: values.help,
    version: values.version,
  };
}

function describeParseError(error: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  const option = /--?[\w-]+/.exec(quoted.replace(/^-\w, /, ''))?.[0] ?? quoted;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return error.message.includes('does not take') ? `${option} takes no value` : `${option} needs a value`;
  }
  return error.message;
}

/** `--help` text. */
export const HELP = `Usage: npx --no-install create-openclaw-plugin [name] [options]
       (in a clone of OpenClaw Node; --no-install never fetches an unrelated package from npm)

Scaffold an OpenClaw Node plugin package: a typed action, a ping, tests with the SDK
harness, and build/test/typecheck scripts. Asks for what is missing unless --yes.

Options:
  -d, --description <text>   what the plugin does
  -p, --platforms <list>     windows,darwin,linux (default: all)
  -a, --action <name>        the first action, snake_case (default: run)
      --param <name:type>    a param of that action; repeat or comma-separate.
                             types: string, path, integer, number, boolean; add [] for a
                             list, write name?:type for an optional one; "none" for no params
                             (default: input:path)
      --app <executable>     the program the action runs (default: the plugin name)
      --plugin-name <name>   the plugin name (default: derived from the package name)
      --dir <path>           where to write the package (default: ./<name without scope>)
      --sdk-version <range>  the @openclaw-node/plugin-sdk range to depend on
  -f, --force                write into a directory that is not empty (overwrites files)
  -y, --yes                  ask nothing: use the flags and the defaults
  -h, --help                 show this help
  -v, --version              show the version

Examples:
  npx --no-install create-openclaw-plugin @studio/openclaw-plugin-houdini
  npx --no-install create-openclaw-plugin deadline-submit --yes --platforms windows,linux \\
      --action submit_job --param scene:path --param "frames:string,priority?:integer"
`;
