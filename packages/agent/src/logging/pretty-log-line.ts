import { inspect } from 'node:util';

export interface FormatLogLineOptions {
  /** ANSI colours for the level and the dimmed fields. */
  colors?: boolean;
  /** Print the date before the time (for files that span days). Default false. */
  date?: boolean;
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLORS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
// Fields every line has, or that say nothing to a person reading one agent's log.
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v', 'nodeId']);

/** pino's numeric level of a level name (`warn` → 40), or undefined. */
export function levelNumber(name: string): number | undefined {
  const upper = name.trim().toUpperCase();
  const found = Object.entries(LEVEL_NAMES).find(([, label]) => label === upper);
  return found ? Number(found[0]) : undefined;
}

/** The parsed pino record of one log line, or null for a line that is not one (a crash trace). */
export function parseLogRecord(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * One pino JSON line as a person reads it: `14:02:07.120 INFO  registered with the server plugins=["rv"]`,
 * then an error's stack indented below. A line that is not JSON is returned as it is.
 * @example formatLogLine('{"level":40,"time":1700000000000,"msg":"slow","ms":900}') // '23:13:20.000 WARN  slow ms=900' (local time)
 */
export function formatLogLine(line: string, options: FormatLogLineOptions = {}): string {
  const record = parseLogRecord(line);
  if (!record) return line;
  const paint = (code: string, text: string) => (options.colors ? `\u001b[${code}m${text}\u001b[39m` : text);
  const dim = (text: string) => (options.colors ? `\u001b[2m${text}\u001b[22m` : text);
  const level = typeof record.level === 'number' ? record.level : 30;
  const label = (LEVEL_NAMES[level] ?? String(record.level)).padEnd(5);
  const parts = [
    dim(formatTime(record.time, options.date === true)),
    paint(LEVEL_COLORS[level] ?? '39', label),
  ];
  if (record.msg !== undefined)
    parts.push(typeof record.msg === 'string' ? record.msg : JSON.stringify(record.msg));
  const extra: string[] = [];
  const stacks: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    const stack = errorStack(value);
    if (stack) {
      stacks.push(stack);
      continue;
    }
    extra.push(`${key}=${formatValue(value)}`);
  }
  if (extra.length > 0) parts.push(dim(extra.join(' ')));
  const head = parts.join(' ');
  return stacks.length === 0 ? head : [head, ...stacks.map((stack) => indent(stack))].join('\n');
}

function formatTime(time: unknown, withDate: boolean): string {
  const at = typeof time === 'number' || typeof time === 'string' ? new Date(time) : undefined;
  if (!at || Number.isNaN(at.getTime())) return withDate ? '----------  --:--:--.---' : '--:--:--.---';
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const clock = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
  return withDate ? `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${clock}` : clock;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    const json = JSON.stringify(value);
    return json.length <= 300 ? json : inspect(value, { depth: 2, breakLength: Infinity });
  }
  return String(value);
}

function errorStack(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { stack, message } = value as { stack?: unknown; message?: unknown };
  if (typeof stack === 'string' && stack !== '') return stack;
  return typeof message === 'string' && 'type' in value ? message : undefined;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
