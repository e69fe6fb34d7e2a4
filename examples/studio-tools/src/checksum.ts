import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export const ALGORITHMS = ['sha256', 'sha1', 'md5'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** One hashed frame. */
export interface FrameChecksum {
  frame: number;
  file: string;
  checksum: string;
  bytes: number;
}

/** Hash a file as it streams in; stops between chunks once `signal` is aborted (throwing its reason). */
export async function hashFile(
  file: string,
  algorithm: Algorithm,
  signal: AbortSignal,
): Promise<{ checksum: string; bytes: number }> {
  signal.throwIfAborted();
  const hash = createHash(algorithm);
  let bytes = 0;
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream) {
      signal.throwIfAborted();
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } finally {
    stream.destroy();
  }
  return { checksum: hash.digest('hex'), bytes };
}

/**
 * Hash frames one after another, calling `onFrame` after each (for progress). Cancelling the signal
 * stops within one chunk of the current file.
 */
export async function checksumFrames(
  frames: readonly { frame: number; file: string }[],
  options: {
    algorithm: Algorithm;
    signal: AbortSignal;
    onFrame?: (done: number, result: FrameChecksum) => void;
  },
): Promise<FrameChecksum[]> {
  const results: FrameChecksum[] = [];
  for (const { frame, file } of frames) {
    const { checksum, bytes } = await hashFile(file, options.algorithm, options.signal);
    const result = { frame, file, checksum, bytes };
    results.push(result);
    options.onFrame?.(results.length, result);
  }
  return results;
}

/** One digest for the whole sequence: stable for the same frames with the same content. */
export function sequenceDigest(results: readonly FrameChecksum[]): string {
  const hash = createHash('sha256');
  for (const result of results) hash.update(`${result.frame}:${result.checksum}\n`);
  return hash.digest('hex');
}
