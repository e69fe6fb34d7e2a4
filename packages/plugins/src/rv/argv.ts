import { OpenClawError, type Platform } from '@openclaw-node/plugin-sdk';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** The RV options this plugin may put on a command line; nothing else can become a flag. */
export const RV_FLAGS = new Set([
  // global
  '-play',
  '-fullscreen',
  '-present',
  '-screen',
  '-fps',
  '-loopMode',
  '-noaudio',
  '-noSequence',
  '-network',
  '-networkTag',
  '-wipe',
  '-over',
  '-tile',
  '-diff',
  // per source, inside [ ]
  '-in',
  '-out',
  '-rs',
  '-pa',
  '-volume',
  '-noMovieAudio',
  '-flut',
  '-llut',
  '-fcdl',
  '-lcdl',
]);

function reject(field: string, message: string, value: string): never {
  throw new OpenClawError('INVALID_PARAMS', `${field} ${message}`, {
    details: { field, value: value.slice(0, 200) },
  });
}

/**
 * Check one value before it reaches argv: RV reads a leading `-` as an option and a lone `[` or `]`
 * as a source-group bracket, so neither may come from params.
 */
export function safeValue(value: string, field: string): string {
  if (value.length === 0) reject(field, 'must not be empty', value);
  if (value.startsWith('-'))
    reject(field, 'must not start with "-" (it would be read as an RV option)', value);
  if (value === '[' || value === ']')
    reject(field, 'must not be a lone "[" or "]" (RV source-group brackets)', value);
  if (CONTROL_CHARS.test(value)) reject(field, 'must not contain control characters', value);
  return value;
}

/** A non-negative number as RV parses it: plain decimal digits, never exponent notation. */
export function numberValue(value: number, field: string): string {
  if (!Number.isFinite(value) || value < 0 || value > 1e12) {
    reject(field, 'must be a number between 0 and 1e12', String(value));
  }
  // Below 1e21 toFixed never uses exponent notation; six decimals are plenty for fps and ratios.
  return safeValue(value.toFixed(6).replace(/\.?0+$/, ''), field);
}

/**
 * rvpush set/merge pastes every media argument into a Mu string literal (`"…"`) without escaping
 * (OpenRV RvPusher.cpp), so a `"` or `\` would end the literal and run the rest as Mu code in the
 * artist's RV. On Windows rvpush turns `\` into `/` first, so only `"` is dangerous there.
 */
export function assertPushSafe(value: string, field: string, platform: Platform): void {
  if (value.includes('"') || (platform !== 'windows' && value.includes('\\'))) {
    reject(
      field,
      'contains a double quote or backslash, which rvpush cannot pass safely to a running RV; use mode "new"',
      value,
    );
  }
}

/** Builds an RV argument list in which every element is a known flag, a bracket we add, or a checked value. */
export class RvArgv {
  private readonly args: string[] = [];
  private inGroup = false;

  /** An option from RV_FLAGS with its values. */
  flag(name: string, ...values: string[]): this {
    if (!RV_FLAGS.has(name)) throw new Error(`internal: ${name} is not an allowed RV flag`);
    this.args.push(name, ...values);
    return this;
  }

  /** A media path (or any other free value) checked with safeValue. */
  value(value: string, field: string): this {
    this.args.push(safeValue(value, field));
    return this;
  }

  /** Open a `[ … ]` source group; groups cannot nest. */
  open(): this {
    if (this.inGroup) throw new Error('internal: RV source groups cannot nest');
    this.inGroup = true;
    this.args.push('[');
    return this;
  }

  close(): this {
    if (!this.inGroup) throw new Error('internal: no RV source group is open');
    this.inGroup = false;
    this.args.push(']');
    return this;
  }

  toArray(): string[] {
    if (this.inGroup) throw new Error('internal: an RV source group was left open');
    return [...this.args];
  }
}
