import { OpenClawError } from '@openclaw-node/plugin-sdk';

/**
 * The schema pattern for `frame_range`: comma-separated parts, each `N`, `A-B` or `A-BxS`, with
 * plain non-negative integers only, so no value can ever start with `-` and be read as a flag.
 */
export const FRAME_RANGE_PATTERN = '^[0-9]+(-[0-9]+(x[0-9]+)?)?( *, *[0-9]+(-[0-9]+(x[0-9]+)?)?)*$';

/** Most frames one render may request; keeps results (one number per frame) a sane size. */
export const MAX_FRAMES = 100_000;
const MAX_PARTS = 100;
const MAX_FRAME = 99_999_999;

/** One `-F` argument. */
export interface FramePart {
  /** The text handed to Nuke, e.g. `1001-1100x2`. */
  text: string;
  first: number;
  last: number;
  step: number;
}

/** A validated frame range: the `-F` parts in the caller's order and every frame they name. */
export interface FrameRange {
  parts: FramePart[];
  /** Every requested frame, ascending. */
  frames: number[];
}

const PART = /^([0-9]+)(?:-([0-9]+)(?:x([0-9]+))?)?$/;

/**
 * Parse and check a frame range in Nuke's `-F` syntax (`"1-100"`, `"1,10,20"`, `"1-100x2"`,
 * `"1-10,20-30x5"`). Rejects leading zeros (Tcl reads them as octal), reversed ranges, zero steps,
 * a step on a single frame, frames named twice, and ranges over MAX_FRAMES frames.
 * @example parseFrameRange('1001-1100x2').frames.length // 50
 */
export function parseFrameRange(input: string, field = 'params.frame_range'): FrameRange {
  const invalid = (reason: string): OpenClawError =>
    new OpenClawError('INVALID_PARAMS', `${field} ${reason}`, {
      details: { field, value: input.slice(0, 200) },
    });
  const texts = input.split(',').map((part) => part.trim());
  if (input.trim() === '' || texts.some((t) => t === '')) {
    throw invalid('must be frames like "1-100", "1,10,20" or "1-100x2" (an empty part was given)');
  }
  if (texts.length > MAX_PARTS) throw invalid(`has ${texts.length} parts; at most ${MAX_PARTS} are allowed`);

  const parts: FramePart[] = [];
  const seen = new Set<number>();
  for (const text of texts) {
    const match = PART.exec(text);
    if (!match) {
      throw invalid(`part "${text.slice(0, 40)}" is not N, A-B or A-BxS with non-negative whole numbers`);
    }
    const [, a, b, s] = match;
    for (const number of [a, b, s]) {
      if (number !== undefined && number.length > 1 && number.startsWith('0')) {
        throw invalid(`part "${text}" has a leading zero in ${number}; write ${String(Number(number))}`);
      }
    }
    const first = Number(a);
    const last = b === undefined ? first : Number(b);
    const step = s === undefined ? 1 : Number(s);
    if (first > MAX_FRAME || last > MAX_FRAME)
      throw invalid(`part "${text}" names a frame above ${MAX_FRAME}`);
    if (last < first) throw invalid(`part "${text}" ends before it starts; write ${last}-${first}`);
    if (step < 1) throw invalid(`part "${text}" has a step of 0; the step must be 1 or more`);
    const count = Math.floor((last - first) / step) + 1;
    if (seen.size + count > MAX_FRAMES)
      throw invalid(`requests more than ${MAX_FRAMES} frames; split the render`);
    for (let frame = first; frame <= last; frame += step) {
      if (seen.has(frame))
        throw invalid(`names frame ${frame} more than once ("${text}" overlaps an earlier part)`);
      seen.add(frame);
    }
    parts.push({ text, first, last, step });
  }
  return { parts, frames: [...seen].sort((x, y) => x - y) };
}
