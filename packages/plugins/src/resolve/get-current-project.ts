import { defineAction } from '@openclaw-node/plugin-sdk';
import { integerOrNull, stringList, stringOrNull } from './answer-fields.js';
import { runBridge } from './bridge.js';
import { BRIDGE_ERRORS } from './error-codes.js';
import { resolveConfig } from './config.js';

/** resolve.get_current_project: what is open in Resolve right now. */
export const getCurrentProject = defineAction({
  config: resolveConfig,
  description: 'Describe the project open in DaVinci Resolve: name, timelines, current timeline and bin',
  errors: [...BRIDGE_ERRORS],
  params: { type: 'object', additionalProperties: false, properties: {} },
  result: {
    type: 'object',
    required: ['project', 'timeline_count', 'timelines', 'current_timeline'],
    properties: {
      product: { type: ['string', 'null'], description: 'DaVinci Resolve or DaVinci Resolve Studio' },
      version: { type: ['string', 'null'], description: "Resolve's version string" },
      project: { type: 'string', description: 'Name of the current project' },
      project_id: {
        type: ['string', 'null'],
        description: 'Unique id of the project (newer Resolve versions)',
      },
      timeline_count: { type: 'integer', description: 'Number of timelines in the project' },
      timelines: {
        type: 'array',
        items: { type: 'string' },
        description: 'Timeline names, in project order',
      },
      current_timeline: { type: ['string', 'null'], description: 'Name of the current timeline, if any' },
      current_bin: { type: ['string', 'null'], description: 'Name of the current media pool bin' },
    },
  },
  timeout: 60,
  async run(_params, ctx) {
    const answer = await runBridge(ctx, { action: 'get_current_project', defaultTimeoutSeconds: 30 });
    return {
      product: stringOrNull(answer.product),
      version: stringOrNull(answer.version),
      project: stringOrNull(answer.project) ?? '',
      project_id: stringOrNull(answer.project_id),
      timeline_count: integerOrNull(answer.timeline_count) ?? 0,
      timelines: stringList(answer.timelines),
      current_timeline: stringOrNull(answer.current_timeline),
      current_bin: stringOrNull(answer.current_bin),
    };
  },
});
