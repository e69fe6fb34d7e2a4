import { OpenClawError, defineAction } from '@openclaw-node/plugin-sdk';
import { ShotgridClient } from './client.js';
import { shotgridSettings, shotgridConfig } from './config.js';
import { STATUS_PATTERN, checkPattern } from './params.js';
import { recordOf } from './records.js';
import { SITE_ERRORS } from './error-codes.js';

/** shotgrid.update_task_status: set a Task's sg_status_list. */
export const updateTaskStatus = defineAction({
  config: shotgridConfig,
  description: "Set a ShotGrid Task's status (sg_status_list)",
  errors: [...SITE_ERRORS, 'SG_NOT_FOUND'],
  params: {
    type: 'object',
    required: ['task_id', 'status'],
    additionalProperties: false,
    properties: {
      task_id: { type: 'integer', minimum: 1, description: 'Id of the Task' },
      status: {
        type: 'string',
        pattern: STATUS_PATTERN,
        description: "Status code valid for the project, e.g. 'ip', 'rev', 'fin'",
      },
    },
  },
  result: {
    type: 'object',
    required: ['task_id', 'status', 'task'],
    properties: {
      task_id: { type: 'integer', description: 'Id of the Task' },
      status: { type: 'string', description: 'The status ShotGrid now has' },
      task: { type: 'object', description: 'The Task as ShotGrid returned it' },
    },
  },
  timeout: 120,
  async run(params, ctx) {
    const config = shotgridSettings(ctx.config);
    checkPattern('params.status', params.status, STATUS_PATTERN);
    const client = new ShotgridClient(ctx, config);
    const { body } = await client.request({
      method: 'PUT',
      path: `/entity/tasks/${params.task_id}`,
      json: { sg_status_list: params.status },
    });
    const task = recordOf(body);
    if (!task)
      throw new OpenClawError('SG_UNAVAILABLE', 'ShotGrid answered the Task update without a record', {
        details: { task_id: params.task_id },
      });
    const status = typeof task.sg_status_list === 'string' ? task.sg_status_list : params.status;
    ctx.log.info('Task status set', { task_id: task.id, status });
    return { task_id: task.id, status, task };
  },
});
