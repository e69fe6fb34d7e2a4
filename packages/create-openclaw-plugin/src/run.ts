import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathLikeStringParams, resolveAnswers, type PluginAnswers } from './answers.js';
import { HELP, parseCliArgs } from './cli-args.js';
import { isScaffoldError } from './errors.js';
import { createClackPrompter, type Prompter } from './prompter.js';
import { scaffoldPlugin, type ScaffoldResult } from './scaffold.js';
import { findLocalSdk, type LocalSdk } from './local-sdk.js';
import { findPackageRoot, packageVersion } from './template-dir.js';

/** Where `run` reads and writes: the process's streams in the bin, in-memory streams in tests. */
export interface RunIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  /** Directory that `--dir` and the default target are relative to (default `process.cwd()`). */
  cwd?: string;
  /** Ask for what the flags leave out; default: when stdin and stdout are terminals. `--yes` turns it off. */
  interactive?: boolean;
  /** Answer the questions some other way than @clack/prompts on stdin/stdout. */
  prompter?: Prompter;
  /** The clone this runs from and its packed SDK (default: looked up beside this package). */
  localSdk?: LocalSdk | undefined;
}

/**
 * The `create-openclaw-plugin` command: parse argv, ask or take defaults, write the package.
 * Resolves to the exit code; never calls process.exit.
 * @example process.exitCode = await run(process.argv.slice(2), process)
 */
export async function run(argv: readonly string[], io: RunIO): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  try {
    const flags = parseCliArgs(argv);
    if (flags.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (flags.version) {
      io.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    const interactive = !flags.yes && (io.interactive ?? Boolean(io.stdin.isTTY && io.stdout.isTTY));
    const prompter = interactive
      ? (io.prompter ?? createClackPrompter({ input: io.stdin, output: io.stdout }))
      : undefined;
    prompter?.intro('create-openclaw-plugin');
    const answers = await resolveAnswers(flags, { cwd, prompter });
    // An explicit --sdk-version wins; otherwise a clone's packed SDK, when there is one.
    const local =
      flags.sdkVersion === undefined
        ? 'localSdk' in io
          ? io.localSdk
          : findLocalSdk(findPackageRoot())
        : undefined;
    if (local?.tarballs) answers.localSdk = local.tarballs;
    const result = await scaffoldPlugin(answers);
    const summary = describeResult(answers, result, cwd, local);
    if (prompter) prompter.outro(summary);
    else io.stdout.write(`${summary}\n`);
    return 0;
  } catch (error) {
    if (isScaffoldError(error)) {
      if (error.field !== 'prompt') io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`error: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

function describeResult(
  answers: PluginAnswers,
  result: ScaffoldResult,
  cwd: string,
  local: LocalSdk | undefined,
): string {
  const relative = path.relative(cwd, result.dir);
  const shown = relative === '' ? '.' : relative.startsWith('..') ? result.dir : `./${relative}`;
  const lines = [
    `Created ${answers.packageName} in ${shown} (${result.files.length} files):`,
    `the actions ${answers.pluginName}.${answers.action} and ${answers.pluginName}.ping.`,
  ];
  for (const name of pathLikeStringParams(answers.params)) {
    lines.push(
      ``,
      `note: param ${name} looks like a path; declare it ${name}:path so the agent checks it against allowed_paths.`,
    );
  }
  if (local?.tarballs) {
    lines.push(
      ``,
      `note: @openclaw-node/plugin-sdk is not on the npm registry yet: this plugin builds and tests against`,
      `${local.tarballs.sdk} (npm run pack in your clone). Its package names the SDK as a peer dependency:`,
      `install its packed tarball into plugin_dirs together with the SDK and core tarballs (https://github.com/openclaw-node/openclaw-node/blob/main/docs/install.md#4-a-plugin-into-plugin_dirs).`,
    );
  } else if (local) {
    lines.push(
      ``,
      `note: @openclaw-node/plugin-sdk is not on the npm registry yet, and ${path.join(local.clone, 'tarballs')} has no`,
      `packed SDK: run npm run pack in ${local.clone}, then this command again with --force, before npm install.`,
    );
  }
  lines.push(``, `Next steps:`);
  const cdTarget = relative.startsWith('..') ? result.dir : relative;
  if (relative !== '') lines.push(`  cd ${/\s/.test(cdTarget) ? JSON.stringify(cdTarget) : cdTarget}`);
  lines.push(`  npm install`, `  npm test`, `  npm run build`);
  return lines.join('\n');
}
