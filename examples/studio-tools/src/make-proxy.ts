import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  OpenClawError,
  defineAction,
  requireApp,
  type ActionContext,
  type Platform,
} from '@openclaw-node/plugin-sdk';
import { createFfmpegProgress } from './ffmpeg-progress.js';
import { isSequencePattern, listFrames, parseFramePattern, toPrintfPattern } from './sequence.js';

/** Where ffmpeg usually is when it is not on PATH. */
const FFMPEG_LOCATIONS: Record<Platform, string[]> = {
  windows: [
    'C:\\ffmpeg\\bin\\ffmpeg.exe',
    'C:\\Program Files\\ffmpeg\\bin\\ffmpeg.exe',
    'C:\\ProgramData\\chocolatey\\bin\\ffmpeg.exe',
  ],
  darwin: ['/opt/homebrew/bin/ffmpeg', '/usr/local/bin/ffmpeg'],
  linux: ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'],
};

const CODECS = {
  h264: {
    video: ['-c:v', 'libx264', '-preset', 'fast', '-crf', '20', '-pix_fmt', 'yuv420p'],
    audio: ['-c:a', 'aac', '-b:a', '192k'],
  },
  prores_proxy: {
    video: ['-c:v', 'prores_ks', '-profile:v', '0', '-pix_fmt', 'yuv422p10le'],
    audio: ['-c:a', 'pcm_s16le'],
  },
} as const;

/** Find ffmpeg: `plugin_config.studio-tools.ffmpeg`, then $FFMPEG_EXE, the usual folders, then PATH. */
export async function findFfmpeg(ctx: ActionContext): Promise<string> {
  const configPath = typeof ctx.config.ffmpeg === 'string' ? ctx.config.ffmpeg : undefined;
  const found = await ctx.which({
    names: ['ffmpeg'],
    configPath,
    envVars: ['FFMPEG_EXE'],
    locations: FFMPEG_LOCATIONS[ctx.platform],
  });
  return requireApp('ffmpeg', found);
}

/** studio-tools.make_proxy: an H.264 or ProRes Proxy movie from a movie or an image sequence, with ffmpeg. */
export const makeProxy = defineAction({
  description: 'Make a review proxy (H.264 or ProRes Proxy) from a movie or an image sequence with ffmpeg',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['input', 'output'],
    properties: {
      input: {
        type: 'string',
        format: 'path',
        description: 'A movie, or an image sequence with the frame number as ####, @@@@ or %04d',
      },
      output: {
        type: 'string',
        format: 'path',
        pattern: '\\.(mov|mp4)$',
        description: 'The proxy to write: a .mov or .mp4 path',
      },
      width: {
        type: 'integer',
        minimum: 16,
        maximum: 8192,
        default: 1920,
        description: 'Width in pixels; the height keeps the aspect ratio',
      },
      frame_rate: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 240,
        default: 24,
        description: 'Frames per second of an image sequence',
      },
      start_frame: {
        type: 'integer',
        minimum: 0,
        description: 'First frame of an image sequence; by default the first on disk',
      },
      codec: {
        type: 'string',
        enum: ['h264', 'prores_proxy'],
        default: 'h264',
        description: 'h264, or prores_proxy (ProRes 422 Proxy, .mov only)',
      },
      overwrite: { type: 'boolean', default: false, description: 'Replace the output if it exists' },
    },
  },
  result: {
    type: 'object',
    additionalProperties: false,
    required: ['output', 'codec', 'width', 'frames'],
    properties: {
      output: { type: 'string', description: 'The proxy written' },
      codec: { type: 'string', description: 'The codec used' },
      width: { type: 'integer', description: 'Its width in pixels' },
      frames: { type: 'integer', description: 'Frames ffmpeg wrote' },
    },
  },
  timeout: 3600,
  async run(params, ctx) {
    const { output, width = 1920, frame_rate: frameRate = 24, codec = 'h264', overwrite = false } = params;
    if (codec === 'prores_proxy' && !output.toLowerCase().endsWith('.mov')) {
      throw new OpenClawError('INVALID_PARAMS', 'params.output must be a .mov for prores_proxy', {
        details: { field: 'params.output' },
      });
    }
    if (!overwrite && (await exists(output))) {
      throw new OpenClawError(
        'OUTPUT_EXISTS',
        `${output} already exists: pass overwrite: true to replace it`,
        { details: { field: 'params.output' } },
      );
    }
    const ffmpeg = await findFfmpeg(ctx);

    const inputArgs: string[] = [];
    let input = params.input;
    let totalFrames: number | undefined;
    if (isSequencePattern(params.input)) {
      const pattern = parseFramePattern(params.input, 'params.input');
      const onDisk = (await listFrames(pattern)).filter(
        (frame) => params.start_frame === undefined || frame >= params.start_frame,
      );
      const first = onDisk[0];
      if (first === undefined) {
        throw new OpenClawError('PATH_NOT_FOUND', `no frames of ${params.input} are on disk`, {
          details: { field: 'params.input' },
        });
      }
      totalFrames = onDisk.length;
      input = toPrintfPattern(pattern);
      inputArgs.push('-framerate', String(frameRate), '-start_number', String(first));
    } else if (!(await exists(params.input))) {
      throw new OpenClawError('PATH_NOT_FOUND', `${params.input} does not exist`, {
        details: { field: 'params.input' },
      });
    }
    // Linear EXRs look right in a review movie only after the sRGB transfer curve is applied.
    if (/\.exr$/i.test(params.input)) inputArgs.push('-apply_trc', 'iec61966_2_1');

    const args = [
      '-hide_banner',
      '-nostdin',
      '-nostats',
      '-loglevel',
      'info',
      '-progress',
      'pipe:1',
      overwrite ? '-y' : '-n',
      ...inputArgs,
      '-i',
      input,
      '-vf',
      `scale=${width}:-2:flags=lanczos`,
      ...CODECS[codec].video,
      ...(totalFrames === undefined ? CODECS[codec].audio : ['-an']),
      ...(output.toLowerCase().endsWith('.mp4') ? ['-movflags', '+faststart'] : []),
      output,
    ];
    ctx.progress(0, `ffmpeg → ${path.basename(output)}`);
    const progress = createFfmpegProgress({
      ...(totalFrames === undefined ? {} : { totalFrames }),
      report: (fraction, message) => ctx.progress(fraction, message),
    });
    const result = await ctx.run(ffmpeg, args, {
      onStdoutLine: progress.onStdoutLine,
      onStderrLine: progress.onStderrLine,
    });
    if (result.exitCode !== 0) {
      throw new OpenClawError(
        'PROCESS_FAILED',
        `ffmpeg exited with ${result.exitCode ?? result.signal}: ${lastLine(result.stderr)}`,
        {
          details: {
            command: result.command,
            exit_code: result.exitCode,
            stderr: result.stderr.slice(-4000),
          },
        },
      );
    }
    return { output, codec, width, frames: progress.frames };
  },
});

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function lastLine(text: string): string {
  return text.trim().split(/\r?\n/).at(-1) ?? '';
}
