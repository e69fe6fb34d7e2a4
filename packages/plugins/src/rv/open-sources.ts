import { OpenClawError, defineAction } from '@openclaw-node/plugin-sdk';
import { RvArgv, numberValue } from './argv.js';
import { requireRv } from './locate.js';
import { launchRv } from './launch-rv.js';
import {
  appendDisplayOptions,
  assertNewOnly,
  checkTag,
  displayOptionProperties,
  tagParam,
} from './options.js';
import { pushSources } from './push-sources.js';
import { openResultSchema, type OpenResult } from './results.js';
import { appendSource, checkSources, sourceItemSchema, type SourceItem } from './sources.js';
import { rvConfig } from './config.js';

const COMPARE_FLAGS = { wipe: '-wipe', over: '-over', tile: '-tile', diff: '-diff' } as const;
const LOOP_MODES = { loop: '0', once: '1', pingpong: '2' } as const;
const NEW_ONLY = [
  'compare',
  'fps',
  'loop_mode',
  'present',
  'screen',
  'no_audio',
  'no_sequence',
  'network',
] as const;

/** rv.open_sources: load media into a new RV, or push it into a running one. */
export const openSources = defineAction({
  config: rvConfig,
  description:
    'Open media in RV: launch a new player, or push into a running one (rvpush merge/set) found by tag.',
  errors: ['RV_UNREACHABLE', 'APP_NOT_FOUND', 'PATH_NOT_FOUND', 'NO_DESKTOP_SESSION'],
  params: {
    type: 'object',
    required: ['sources'],
    additionalProperties: false,
    properties: {
      sources: {
        type: 'array',
        minItems: 1,
        maxItems: 256,
        items: sourceItemSchema,
        description: 'The media, in order.',
      },
      mode: {
        enum: ['new', 'merge', 'set'],
        default: 'new',
        description: 'new: launch an RV; merge: add to a running RV; set: replace what a running RV shows.',
      },
      tag: tagParam,
      start_if_needed: {
        type: 'boolean',
        default: true,
        description: 'merge/set: let rvpush start an RV when none answers (else RV_UNREACHABLE).',
      },
      compare: {
        enum: ['wipe', 'over', 'tile', 'diff'],
        description:
          'Compare the sources: wipe (-wipe), over (-over), tile (-tile), difference (-diff). Mode "new" only.',
      },
      fps: {
        type: 'number',
        minimum: 0.01,
        maximum: 1000,
        description: 'Playback frame rate (-fps). Mode "new" only.',
      },
      loop_mode: {
        enum: ['loop', 'once', 'pingpong'],
        description: 'Playback at the ends (-loopMode). Mode "new" only.',
      },
      no_audio: { type: 'boolean', description: 'Turn audio off (-noaudio). Mode "new" only.' },
      no_sequence: {
        type: 'boolean',
        description: 'Take each file alone rather than as part of a sequence (-noSequence). Mode "new" only.',
      },
      ...displayOptionProperties,
    },
  },
  result: openResultSchema,
  timeout: 90,
  async run(params, ctx): Promise<OpenResult> {
    const sources = params.sources as SourceItem[];
    const mode = params.mode ?? 'new';
    const tag = checkTag(params.tag);
    checkSessionFiles(sources, mode);
    if (params.compare && sources.length < 2) {
      throw new OpenClawError('INVALID_PARAMS', 'params.compare needs at least two sources', {
        details: { field: 'params.compare' },
      });
    }
    if (mode !== 'new') assertNewOnly(params, NEW_ONLY, mode);
    await checkSources(sources, mode === 'new' ? {} : { pushTo: ctx.platform });

    const media = new RvArgv();
    sources.forEach((source, i) => appendSource(media, source, `params.sources[${i}]`));
    if (mode !== 'new') {
      return pushSources(ctx, {
        mode,
        tag,
        mediaArgs: media.toArray(),
        startIfNeeded: params.start_if_needed ?? true,
        ...(params.play !== undefined ? { play: params.play } : {}),
        ...(params.fullscreen !== undefined ? { fullscreen: params.fullscreen } : {}),
      });
    }

    const argv = new RvArgv();
    appendDisplayOptions(argv, { ...params, tag });
    if (params.fps !== undefined) argv.flag('-fps', numberValue(params.fps, 'params.fps'));
    if (params.loop_mode) argv.flag('-loopMode', LOOP_MODES[params.loop_mode]);
    if (params.no_audio) argv.flag('-noaudio');
    if (params.no_sequence) argv.flag('-noSequence');
    if (params.compare) argv.flag(COMPARE_FLAGS[params.compare]);
    const rv = await requireRv(ctx);
    const launched = await launchRv(ctx, rv, [...argv.toArray(), ...media.toArray()]);
    return {
      method: 'launched',
      started_new: true,
      mode,
      tag: tag ?? null,
      command: launched.command,
      pid: launched.pid ?? null,
    };
  },
});

/** An .rv session must be RV's only source (rv user manual ch.3). */
function checkSessionFiles(sources: SourceItem[], mode: string): void {
  const isSession = (source: SourceItem) => /\.rv$/i.test(typeof source === 'string' ? source : source.path);
  const index = sources.findIndex(isSession);
  if (index === -1) return;
  if (mode !== 'new' || sources.length > 1 || typeof sources[0] !== 'string') {
    throw new OpenClawError(
      'INVALID_PARAMS',
      `params.sources[${index}] is an .rv session, which must be the only source; use rv.open_session`,
      { details: { field: `params.sources[${index}]` } },
    );
  }
}
