import path from 'node:path';
import { countLintMessages, type LintMessage } from './lint-message.js';

// Written out rather than util.styleText, which also decides by itself whether the stream is a TTY.
const ANSI = { red: [31, 39], yellow: [33, 39], green: [32, 39], dim: [2, 22], underline: [4, 24] } as const;

export interface FormatLintOptions {
  /** Paths are shown relative to this folder (default `process.cwd()`). */
  cwd?: string;
  /** ANSI colours (default false). */
  color?: boolean;
}

/**
 * Lint messages as text for a terminal, grouped by file, with a summary line:
 * `src/index.ts` then `  error  actions.render.params.properties.script  <message>  (path-format)`.
 * @example process.stdout.write(formatLintMessages(await lintPlugin('.')))
 */
export function formatLintMessages(
  messages: readonly LintMessage[],
  options: FormatLintOptions = {},
): string {
  const cwd = options.cwd ?? process.cwd();
  const paint = (style: keyof typeof ANSI, text: string): string =>
    options.color ? `\u001b[${ANSI[style][0]}m${text}\u001b[${ANSI[style][1]}m` : text;
  const { errors, warnings } = countLintMessages(messages);
  if (messages.length === 0) return `${paint('green', '✔')} no problems\n`;

  const byFile = new Map<string, LintMessage[]>();
  for (const message of messages) byFile.set(message.file, [...(byFile.get(message.file) ?? []), message]);
  const lines: string[] = [];
  for (const [file, group] of byFile) {
    const relative = path.relative(cwd, file);
    lines.push(paint('underline', relative === '' || relative.startsWith('..') ? file : relative));
    const fieldWidth = Math.min(60, Math.max(...group.map((m) => m.field.length)));
    for (const message of group) {
      const level = message.level === 'error' ? paint('red', 'error  ') : paint('yellow', 'warning');
      lines.push(
        `  ${level}  ${message.field.padEnd(fieldWidth)}  ${message.message}  ${paint('dim', `(${message.rule})`)}`,
      );
    }
    lines.push('');
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `✖ ${plural(messages.length, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
  lines.push(paint(errors > 0 ? 'red' : 'yellow', summary));
  return `${lines.join('\n')}\n`;
}
