import { nearestName } from '@openclaw-node/core';

/** What the usage explanation needs of a registered command (from clipanion's definitions). */
export interface CommandShape {
  /** The words after the binary name, e.g. `['agent', 'init']`. */
  path: string[];
  /** Every spelling of every option, e.g. `--config`, `-c`, `--no-verify`. */
  options: string[];
  /** The options as shown to people, e.g. `--config,-c <value>`. */
  shown: string[];
}

/** clipanion's definitions made into command shapes; the builtins (`-h`, `-v`) are left out. */
export function commandShapes(
  definitions: readonly { path: string; options: readonly { definition: string }[] }[],
): CommandShape[] {
  return definitions
    .map((definition) => {
      const path = definition.path.split(' ').slice(1);
      const options: string[] = ['-h', '--help'];
      const shown: string[] = [];
      for (const { definition: text } of definition.options) {
        const [names = '', arity] = text.split(' ');
        const spellings = names.split(',');
        options.push(...spellings);
        // clipanion accepts --no-<name> for every boolean flag.
        if (arity === undefined)
          for (const name of spellings) if (name.startsWith('--')) options.push(`--no-${name.slice(2)}`);
        shown.push(arity === undefined ? names : `${names} <value>`);
      }
      return { path, options, shown };
    })
    .filter((shape) => shape.path.length > 0 && !shape.path[0]!.startsWith('-'));
}

/**
 * A usage mistake clipanion could only answer with a list of every command (a mistyped command, an
 * unknown option) explained in one go: the nearest command or option, and the command's options.
 * Undefined when clipanion's own message says it better (a missing argument, say).
 * @example explainUsage(['exce', 'ws-042', 'explorer.ping'], shapes) // 'Unknown command "exce": did you mean "openclaw exec"? …'
 */
export function explainUsage(argv: readonly string[], shapes: readonly CommandShape[]): string | undefined {
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  const command = longestMatch(words, shapes);
  if (command === undefined) return unknownCommand(words, shapes);
  const unknown = unknownOptions(argv, command);
  if (unknown.length === 0) return undefined;
  const name = `openclaw ${command.path.join(' ')}`;
  const lines = unknown.map((option) => {
    // A one-letter flag is one edit from every other: only long options get a suggestion.
    const near = option.startsWith('--')
      ? nearestName(
          option,
          command.options.filter((o) => o.startsWith('--')),
        )
      : undefined;
    return `Unknown option "${option}" for ${name}${near ? `: did you mean "${near}"?` : '.'}`;
  });
  lines.push(
    command.shown.length > 0 ? `Its options: ${command.shown.join(', ')}` : `${name} takes no options.`,
    `Run \`${name} --help\` for details.`,
  );
  return `${lines.join('\n')}\n`;
}

function longestMatch(words: readonly string[], shapes: readonly CommandShape[]): CommandShape | undefined {
  let best: CommandShape | undefined;
  for (const shape of shapes) {
    const fits = shape.path.length <= words.length && shape.path.every((word, i) => words[i] === word);
    if (fits && shape.path.length > (best?.path.length ?? 0)) best = shape;
  }
  return best;
}

function unknownCommand(words: readonly string[], shapes: readonly CommandShape[]): string {
  const typed = words.slice(0, 2);
  const paths = shapes.map((shape) => shape.path.join(' '));
  // `agent strat`: the group is right, the second word is not; `exce`: one word is wrong.
  const group = shapes.some((shape) => shape.path.length > 1 && shape.path[0] === typed[0]);
  const candidates = group
    ? paths.filter((path) => path.startsWith(`${typed[0]} `))
    : paths.filter((path) => !path.includes(' ') || typed.length > 1);
  const attempt = group || typed.length < 2 ? typed.join(' ') : typed[0]!;
  const near =
    nearestName(attempt, candidates) ??
    (typed.length > 1 ? nearestName(typed.join(' '), paths) : undefined) ??
    (typed.length > 0 ? nearestName(typed[0]!, [...new Set(shapes.map((s) => s.path[0]!))]) : undefined);
  const what = typed.length === 0 ? 'No command given' : `Unknown command "${attempt}"`;
  const lines = [`${what}${near ? `: did you mean "openclaw ${near}"?` : '.'}`];
  if (group && !near)
    lines.push(`The ${typed[0]} commands: ${candidates.map((p) => `openclaw ${p}`).join(', ')}`);
  lines.push('Run `openclaw --help` for every command.');
  return `${lines.join('\n')}\n`;
}

/** Options in argv that the command does not know (before a `--`), without their `=value`. */
function unknownOptions(argv: readonly string[], command: CommandShape): string[] {
  const known = new Set(command.options);
  const out: string[] = [];
  for (const arg of argv.slice(command.path.length)) {
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) continue;
    const name = arg.startsWith('--') ? arg.split('=')[0]! : arg;
    // Short flags may be bundled (-fn 20): each letter must be known.
    const names =
      name.startsWith('--') || name.length === 2 ? [name] : [...name.slice(1)].map((c) => `-${c}`);
    for (const one of names) if (!known.has(one) && !out.includes(one)) out.push(one);
  }
  return out;
}
