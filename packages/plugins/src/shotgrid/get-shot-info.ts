import { OpenClawError, defineAction } from '@openclaw-node/plugin-sdk';
import { ShotgridClient } from './client.js';
import { shotgridSettings, shotgridConfig } from './config.js';
import { FIELD_PATTERN, LINE_PATTERN, checkPattern } from './params.js';
import { recordOf, type FlatRecord } from './records.js';
import { searchAll } from './search.js';
import { SITE_ERRORS } from './error-codes.js';

/** The fields asked for when the caller names none (APPS.md §5.3). */
export const DEFAULT_SHOT_FIELDS = [
  'code',
  'sg_status_list',
  'description',
  'sg_cut_in',
  'sg_cut_out',
  'sg_head_in',
  'sg_tail_out',
  'sg_sequence',
  'image',
  'project',
];
const TASK_FIELDS = ['content', 'sg_status_list', 'step', 'task_assignees', 'due_date'];
const MAX_CANDIDATES = 20;
const MAX_TASKS = 5000;

/** shotgrid.get_shot_info: a Shot by id, or by code within a project, optionally with its Tasks. */
export const getShotInfo = defineAction({
  config: shotgridConfig,
  description: 'Read a ShotGrid Shot by id, or by code within a project, optionally with its Tasks',
  errors: [...SITE_ERRORS, 'SG_NOT_FOUND', 'SG_AMBIGUOUS'],
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      shot_id: { type: 'integer', minimum: 1, description: 'Id of the Shot (wins over shot_code)' },
      shot_code: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        pattern: LINE_PATTERN,
        description: 'Shot code, e.g. sh010 (needs project_id)',
      },
      project_id: { type: 'integer', minimum: 1, description: 'Project to look the shot code up in' },
      fields: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: { type: 'string', pattern: FIELD_PATTERN },
        description: "Fields to read, e.g. ['code', 'sg_cut_in', 'sg_sequence.Sequence.code']; '*' for all",
      },
      include_tasks: {
        type: 'boolean',
        default: false,
        description: "Also list the Shot's Tasks with their status",
      },
    },
  },
  result: {
    type: 'object',
    required: ['shot'],
    properties: {
      shot: { type: 'object', description: 'The Shot: type, id and the fields asked for' },
      tasks: {
        type: 'array',
        items: { type: 'object' },
        description: "The Shot's Tasks, when include_tasks is set",
      },
    },
  },
  timeout: 120,
  async run(params, ctx) {
    const config = shotgridSettings(ctx.config);
    const fields = params.fields ?? DEFAULT_SHOT_FIELDS;
    fields.forEach((field, index) => checkPattern(`params.fields[${index}]`, field, FIELD_PATTERN));
    const client = new ShotgridClient(ctx, config);
    const shot =
      params.shot_id !== undefined
        ? await byId(client, params.shot_id, fields)
        : await byCode(client, params, fields);
    if (!params.include_tasks) return { shot };
    const { records, truncated } = await searchAll(
      client,
      'tasks',
      [['entity', 'is', { type: 'Shot', id: shot.id }]],
      {
        fields: TASK_FIELDS,
        limit: MAX_TASKS,
        sort: 'id',
      },
    );
    if (truncated)
      ctx.log.warn(`Shot ${shot.id} has more than ${MAX_TASKS} Tasks; only the first are listed`);
    return { shot, tasks: records };
  },
});

async function byId(client: ShotgridClient, id: number, fields: readonly string[]): Promise<FlatRecord> {
  const { body } = await client.request({
    method: 'GET',
    path: `/entity/shots/${id}`,
    query: { fields: fields.join(',') },
  });
  const shot = recordOf(body);
  if (!shot)
    throw new OpenClawError('SG_NOT_FOUND', `ShotGrid has no Shot ${id}`, {
      details: { field: 'params.shot_id', shot_id: id },
    });
  return shot;
}

async function byCode(
  client: ShotgridClient,
  params: { shot_code?: string; project_id?: number },
  fields: readonly string[],
): Promise<FlatRecord> {
  const { shot_code: code, project_id: projectId } = params;
  if (code === undefined || projectId === undefined) {
    const [field, message] =
      code === undefined
        ? ['params.shot_code', 'params.shot_id, or params.shot_code with params.project_id, is required']
        : [
            'params.project_id',
            'params.project_id is required with params.shot_code (or give params.shot_id)',
          ];
    throw new OpenClawError('INVALID_PARAMS', message, { details: { field } });
  }
  checkPattern('params.shot_code', code, LINE_PATTERN);
  const wanted = fields.includes('code') || fields.includes('*') ? fields : [...fields, 'code'];
  const { records } = await searchAll(
    client,
    'shots',
    [
      ['code', 'is', code],
      ['project', 'is', { type: 'Project', id: projectId }],
    ],
    { fields: wanted, limit: MAX_CANDIDATES, sort: 'id' },
  );
  if (records.length === 0) {
    throw new OpenClawError(
      'SG_NOT_FOUND',
      `No Shot with code ${JSON.stringify(code)} in Project ${projectId}`,
      {
        details: { field: 'params.shot_code', shot_code: code, project_id: projectId },
      },
    );
  }
  if (records.length > 1) {
    throw new OpenClawError(
      'SG_AMBIGUOUS',
      `${records.length} Shots have code ${JSON.stringify(code)} in Project ${projectId}; use shot_id`,
      {
        details: { field: 'params.shot_code', candidates: records.map((r) => ({ id: r.id, code: r.code })) },
      },
    );
  }
  return records[0]!;
}
