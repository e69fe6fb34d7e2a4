import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { OpenClawError } from '@openclaw-node/plugin-sdk';

/** An image sequence named by a pattern: `/plates/sh010.####.exr`, `@@@@` or `%04d`. */
export interface FramePattern {
  dir: string;
  prefix: string;
  suffix: string;
  /** Minimum digits: `####` and `%04d` are 4; frame 10000 still matches. */
  padding: number;
}

/** The frame token of a pattern, for the params schema: `#`, `@` runs or printf `%d` / `%04d`. */
export const FRAME_TOKEN_PATTERN = '(#+|@+|%0?[1-9]?d)';
/** `1001-1100`, `1001,1050,1100` or both mixed, as in Nuke's frame ranges. */
export const FRAME_LIST_PATTERN = '^\\d+(-\\d+)?(,\\d+(-\\d+)?)*$';
/** Lists longer than this are refused: a typo like 1-99999999 must not hash for a week. */
export const MAX_FRAMES = 100_000;

const TOKEN = /(#+|@+|%0?([1-9]?)d)/g;

/** True when the path names a sequence rather than a single file. */
export function isSequencePattern(file: string): boolean {
  return new RegExp(FRAME_TOKEN_PATTERN).test(path.basename(file));
}

/** Split a pattern into folder, prefix, padding and suffix; the last token in the file name wins. */
export function parseFramePattern(file: string, field = 'params.sequence'): FramePattern {
  const base = path.basename(file);
  const matches = [...base.matchAll(TOKEN)];
  const token = matches.at(-1);
  if (!token || token.index === undefined) {
    throw new OpenClawError(
      'INVALID_PARAMS',
      `${field} has no frame number: write it as ####, @@@@ or %04d (e.g. sh010.####.exr)`,
      {
        details: { field },
      },
    );
  }
  const text = token[0];
  const padding = text.startsWith('%') ? Number(token[2] || 1) : text.length;
  return {
    dir: path.dirname(file),
    prefix: base.slice(0, token.index),
    suffix: base.slice(token.index + text.length),
    padding,
  };
}

/** The file of one frame. */
export function frameFile(pattern: FramePattern, frame: number): string {
  return path.join(
    pattern.dir,
    `${pattern.prefix}${String(frame).padStart(pattern.padding, '0')}${pattern.suffix}`,
  );
}

/** The pattern as ffmpeg's image2 demuxer wants it: `%04d`. */
export function toPrintfPattern(pattern: FramePattern): string {
  return path.join(
    pattern.dir,
    `${pattern.prefix.replace(/%/g, '%%')}%0${pattern.padding}d${pattern.suffix.replace(/%/g, '%%')}`,
  );
}

/** Expand `1001-1003,1010` to its frames, refusing reversed ranges and lists past MAX_FRAMES. */
export function parseFrameList(text: string, field = 'params.frames'): number[] {
  const frames: number[] = [];
  for (const part of text.split(',')) {
    const [first = '', last = first] = part.split('-');
    const start = Number(first);
    const end = Number(last);
    if (end < start)
      throw new OpenClawError('INVALID_PARAMS', `${field}: ${part} runs backwards`, { details: { field } });
    if (frames.length + (end - start + 1) > MAX_FRAMES) {
      throw new OpenClawError('INVALID_PARAMS', `${field} names more than ${MAX_FRAMES} frames`, {
        details: { field },
      });
    }
    for (let frame = start; frame <= end; frame++) frames.push(frame);
  }
  return [...new Set(frames)].sort((a, b) => a - b);
}

/** Every frame of the sequence on disk, in frame order. */
export async function listFrames(pattern: FramePattern): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir(pattern.dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const regex = new RegExp(`^${escape(pattern.prefix)}(\\d+)${escape(pattern.suffix)}$`);
  const frames: number[] = [];
  for (const entry of entries) {
    const digits = regex.exec(entry)?.[1];
    // `0999` is frame 999 at padding 4, but `01000` is not how frame 1000 would be written.
    if (digits === undefined || digits.length < pattern.padding) continue;
    if (digits.length > pattern.padding && digits.startsWith('0')) continue;
    frames.push(Number(digits));
  }
  return frames.sort((a, b) => a - b);
}
