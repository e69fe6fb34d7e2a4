import { stat } from 'node:fs/promises';
import path from 'node:path';
import { OpenClawError, defineAction } from '@openclaw-node/plugin-sdk';
import { ALGORITHMS, checksumFrames, sequenceDigest } from './checksum.js';
import {
  FRAME_LIST_PATTERN,
  FRAME_TOKEN_PATTERN,
  frameFile,
  listFrames,
  parseFrameList,
  parseFramePattern,
} from './sequence.js';

/** studio-tools.checksum_sequence: hash every frame of an image sequence, reporting progress per file. */
export const checksumSequence = defineAction({
  description: 'Hash every frame of an image sequence (to check a delivery or a copy)',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['sequence'],
    properties: {
      sequence: {
        type: 'string',
        format: 'path',
        pattern: FRAME_TOKEN_PATTERN,
        description:
          'The sequence, with the frame number as ####, @@@@ or %04d: /show/sh010/plates/sh010_bg.####.exr',
      },
      frames: {
        type: 'string',
        pattern: FRAME_LIST_PATTERN,
        maxLength: 1024,
        description:
          'Frames to hash, e.g. "1001-1100" or "1001,1050"; by default every frame on disk. Missing ones are listed in the result',
      },
      algorithm: {
        type: 'string',
        enum: [...ALGORITHMS],
        default: 'sha256',
        description: 'The hash algorithm',
      },
    },
  },
  result: {
    type: 'object',
    additionalProperties: false,
    required: ['algorithm', 'count', 'bytes', 'digest', 'frames', 'missing'],
    properties: {
      algorithm: { type: 'string', description: 'The hash algorithm used' },
      count: { type: 'integer', description: 'Frames hashed' },
      bytes: { type: 'integer', description: 'Bytes read in all' },
      digest: {
        type: 'string',
        description: 'SHA-256 over every "frame:checksum" line: one value to compare two copies',
      },
      frames: {
        type: 'array',
        description: 'One entry per frame hashed, in frame order',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['frame', 'file', 'checksum', 'bytes'],
          properties: {
            frame: { type: 'integer' },
            file: { type: 'string' },
            checksum: { type: 'string' },
            bytes: { type: 'integer' },
          },
        },
      },
      missing: {
        type: 'array',
        items: { type: 'integer' },
        description: 'Frames asked for that are not on disk',
      },
    },
  },
  timeout: 3600,
  async run(params, ctx) {
    const pattern = parseFramePattern(params.sequence);
    const wanted = params.frames === undefined ? await listFrames(pattern) : parseFrameList(params.frames);
    const present: { frame: number; file: string }[] = [];
    const missing: number[] = [];
    for (const frame of wanted) {
      const file = frameFile(pattern, frame);
      if (await isFile(file)) present.push({ frame, file });
      else missing.push(frame);
    }
    if (present.length === 0) {
      throw new OpenClawError(
        'PATH_NOT_FOUND',
        `no frames of ${params.sequence} are on disk${params.frames ? ` for ${params.frames}` : ''}`,
        {
          details: { field: 'params.sequence', missing: missing.slice(0, 100) },
        },
      );
    }
    ctx.log.info(`hashing ${present.length} frames`, { sequence: params.sequence, missing: missing.length });
    const algorithm = params.algorithm ?? 'sha256';
    const frames = await checksumFrames(present, {
      algorithm,
      signal: ctx.signal,
      onFrame: (done, result) => ctx.progress(done / present.length, path.basename(result.file)),
    });
    return {
      algorithm,
      count: frames.length,
      bytes: frames.reduce((sum, frame) => sum + frame.bytes, 0),
      digest: sequenceDigest(frames),
      frames,
      missing,
    };
  },
});

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
