import { defineAction } from '@openclaw-node/plugin-sdk';
import { integerOrNull, stringOrNull } from './answer-fields.js';
import { runBridge } from './bridge.js';
import { NAME_PATTERN, checkName } from './names.js';
import { BRIDGE_ERRORS } from './error-codes.js';
import { resolveConfig } from './config.js';

/** resolve.create_timeline: a new timeline in the current project, optionally filled with clips. */
export const createTimeline = defineAction({
  config: resolveConfig,
  description:
    'Create a timeline in the current DaVinci Resolve project and make it current, optionally appending media pool clips',
  errors: [...BRIDGE_ERRORS, 'RESOLVE_IMPORT_FAILED', 'RESOLVE_TIMELINE_FAILED', 'PATH_NOT_FOUND'],
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: {
        type: 'string',
        default: 'New Timeline',
        minLength: 1,
        maxLength: 255,
        pattern: NAME_PATTERN,
        description: 'Timeline name; must not exist yet in the project',
      },
      clips: {
        type: 'array',
        maxItems: 1000,
        items: { type: 'string', minLength: 1, maxLength: 4096, pattern: NAME_PATTERN },
        description:
          'Media pool clips to append, in order, each given by clip name or by the file path it was imported from',
      },
    },
  },
  result: {
    type: 'object',
    required: ['project', 'timeline', 'clips_appended'],
    properties: {
      project: { type: 'string', description: 'The project the timeline was created in' },
      timeline: { type: 'string', description: 'The new timeline name' },
      clips_appended: { type: 'integer', description: 'Number of clips appended' },
      start_frame: { type: ['integer', 'null'], description: 'First frame of the timeline' },
      end_frame: { type: ['integer', 'null'], description: 'Last frame of the timeline' },
    },
  },
  timeout: 180,
  exclusive: true,
  async run(params, ctx) {
    const name = params.name ?? 'New Timeline';
    checkName('params.name', name);
    const clips = params.clips ?? [];
    clips.forEach((clip, index) => checkName(`params.clips[${index}]`, clip));
    const answer = await runBridge(ctx, {
      action: 'create_timeline',
      args: { name, clips },
      defaultTimeoutSeconds: 120,
    });
    return {
      project: stringOrNull(answer.project) ?? '',
      timeline: stringOrNull(answer.timeline) ?? name,
      clips_appended: integerOrNull(answer.clips_appended) ?? 0,
      start_frame: integerOrNull(answer.start_frame),
      end_frame: integerOrNull(answer.end_frame),
    };
  },
});
