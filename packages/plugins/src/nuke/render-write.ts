import { defineAction, isOpenClawError, OpenClawError } from '@openclaw-node/plugin-sdk';
import { BATCH_ENV } from './batch-env.js';
import { FRAME_RANGE_PATTERN, parseFrameRange } from './frame-range.js';
import { locateNuke } from './locate-nuke.js';
import {
  checkName,
  mergeWriteNodes,
  NODE_NAME_PATTERN,
  VERSION_PIN_PATTERN,
  VIEW_NAME_PATTERN,
} from './names.js';
import { buildRenderArgs } from './render-args.js';
import { RenderLog } from './render-log.js';
import { judgeRender } from './render-outcome.js';
import { requireScriptFile } from './script-file.js';
import { nukeConfig } from './nuke-config.js';

const OUTPUTS_CAP = 1000;

/** `nuke.render_write`: render Write nodes of a script in batch mode (`nuke -x`), with per-frame progress. */
export const renderWrite = defineAction({
  config: nukeConfig,
  description:
    'Render Write nodes of a Nuke script in batch mode (nuke -x), one render per machine at a time, with progress per frame.',
  timeout: 12 * 60 * 60,
  exclusive: true,
  errors: ['RENDER_FAILED', 'LICENSE_UNAVAILABLE', 'APP_NOT_FOUND', 'PATH_NOT_FOUND'],
  params: {
    type: 'object',
    required: ['script'],
    additionalProperties: false,
    properties: {
      script: {
        type: 'string',
        format: 'path',
        pattern: '\\.[nN][kK]$',
        description: 'Absolute path of the .nk script',
      },
      write_node: {
        type: 'string',
        pattern: NODE_NAME_PATTERN,
        maxLength: 200,
        description:
          'The Write node to render (Group1.Write1 inside groups); default: every active Write node',
      },
      write_nodes: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: { type: 'string', pattern: NODE_NAME_PATTERN, maxLength: 200 },
        description: 'Several Write nodes to render (added to write_node)',
      },
      frame_range: {
        type: 'string',
        pattern: FRAME_RANGE_PATTERN,
        maxLength: 1000,
        description:
          'Frames in Nuke syntax: "1-100", "1,10,20", "1-100x2", "1-10,20-30"; default: the script range',
      },
      threads: { type: 'integer', minimum: 1, maximum: 1024, description: 'Render threads (-m)' },
      gpu: { type: 'boolean', default: false, description: 'Enable GPU acceleration (--gpu)' },
      gpu_index: {
        type: 'integer',
        minimum: 0,
        maximum: 63,
        description: 'Which GPU to use (--gpu N); implies gpu',
      },
      proxy: {
        type: 'boolean',
        default: false,
        description: 'Render at proxy resolution (-p) instead of full size (-f)',
      },
      continue_on_error: {
        type: 'boolean',
        default: false,
        description:
          'Keep rendering later frames after an error (--cont); the job still fails if any frame failed',
      },
      nukex: { type: 'boolean', default: false, description: 'Run as NukeX (--nukex)' },
      views: {
        type: 'array',
        minItems: 1,
        maxItems: 16,
        items: { type: 'string', pattern: VIEW_NAME_PATTERN, maxLength: 64 },
        description: 'Views to render, e.g. ["left", "right"] (--view); default: all',
      },
      interactive_license: {
        type: 'boolean',
        description:
          'Use an interactive nuke_i license (-i) instead of a render license; default from plugin config',
      },
      nuke_version: {
        type: 'string',
        pattern: VERSION_PIN_PATTERN,
        description: 'Render with this installed Nuke version, "15.1" or "15.1v3"',
      },
    },
  },
  result: {
    type: 'object',
    required: [
      'frames_written',
      'frames_written_count',
      'frames_requested',
      'duration_ms',
      'write_nodes',
      'outputs',
    ],
    properties: {
      frames_written: {
        type: 'array',
        items: { type: 'integer' },
        description: 'Frames Nuke reported done, ascending',
      },
      frames_written_count: { type: 'integer' },
      frames_requested: { type: ['integer', 'null'], description: 'Frames asked for; null if unknown' },
      frame_range: { type: ['string', 'null'] },
      duration_ms: { type: 'integer' },
      write_nodes: {
        type: ['array', 'null'],
        items: { type: 'string' },
        description: 'null: every active Write node',
      },
      outputs: {
        type: 'array',
        items: { type: 'string' },
        description: 'Files Nuke reported writing (first 1000)',
      },
      outputs_count: { type: 'integer' },
      error_lines: { type: 'array', items: { type: 'string' } },
      nuke: {
        type: 'object',
        properties: { path: { type: 'string' }, version: { type: ['string', 'null'] } },
      },
    },
  },
  async run(params, ctx) {
    const writeNodes = mergeWriteNodes(params.write_node, params.write_nodes);
    if (params.write_node !== undefined) checkName(params.write_node, 'node', 'params.write_node');
    params.write_nodes?.forEach((name, i) => checkName(name, 'node', `params.write_nodes[${i}]`));
    const views = params.views ?? [];
    views.forEach((name, i) => checkName(name, 'view', `params.views[${i}]`));
    const range = params.frame_range === undefined ? null : parseFrameRange(params.frame_range);
    await requireScriptFile(params.script);
    const nuke = await locateNuke(ctx, params.nuke_version);

    const args = buildRenderArgs({
      script: params.script,
      writeNodes,
      frameParts: range?.parts.map((part) => part.text) ?? [],
      proxy: params.proxy ?? false,
      continueOnError: params.continue_on_error ?? false,
      threads: params.threads,
      gpu: params.gpu ?? false,
      gpuIndex: params.gpu_index,
      views,
      interactiveLicense: params.interactive_license ?? nuke.config.interactive_license,
      nukex: params.nukex ?? false,
    });

    const log = new RenderLog();
    const requested = range?.frames.length ?? null;
    const onLine = (line: string): void => {
      const event = log.push(line);
      if (event?.kind !== 'frame') return;
      const total = requested ?? event.total;
      const done = log.frames.length;
      ctx.progress(total > 0 ? Math.min(1, done / total) : 0, `Frame ${event.frame} (${done} of ${total})`);
    };
    ctx.progress(0, `Starting ${nuke.path}`);
    const result = await ctx.run(nuke.path, args, {
      env: BATCH_ENV,
      maxOutputBytes: 512 * 1024,
      onStdoutLine: onLine,
      onStderrLine: onLine,
    });
    if (ctx.signal.aborted) throw reasonOf(ctx.signal);
    if (log.lineCount === 0) {
      // A runtime that does not stream lines still hands back the output: read it afterwards.
      for (const line of `${result.stdout}\n${result.stderr}`.split(/\r?\n|\r/)) onLine(line);
    }

    judgeRender(log, {
      exitCode: result.exitCode,
      signal: result.signal,
      requested: range?.frames ?? null,
      continueOnError: params.continue_on_error ?? false,
    });
    const written = log.framesWritten();
    const outputs = [...log.outputs];
    ctx.progress(1, `Rendered ${written.length} frame(s)`);
    return {
      frames_written: written,
      frames_written_count: written.length,
      frames_requested: requested ?? log.reportedTotal,
      frame_range: params.frame_range ?? null,
      duration_ms: Math.round(result.durationMs),
      write_nodes: writeNodes.length > 0 ? writeNodes : null,
      outputs: outputs.slice(0, OUTPUTS_CAP),
      outputs_count: outputs.length,
      error_lines: log.errorLines,
      nuke: { path: nuke.path, version: nuke.pathVersion },
    };
  },
});

function reasonOf(signal: AbortSignal): OpenClawError {
  const reason: unknown = signal.reason;
  return isOpenClawError(reason) ? reason : new OpenClawError('CANCELLED', 'The render was cancelled');
}
