import { stat } from 'node:fs/promises';
import { OpenClawError, defineAction, isOpenClawError } from '@openclaw-node/plugin-sdk';
import { ShotgridClient } from './client.js';
import { shotgridSettings, shotgridConfig } from './config.js';
import { ENTITY_TYPE_PATTERN, LINE_PATTERN, STATUS_PATTERN, TEXT_PATTERN, checkPattern } from './params.js';
import { recordOf } from './records.js';
import { uploadFile } from './upload.js';
import { SITE_ERRORS } from './error-codes.js';

const id = (description: string) => ({ type: 'integer', minimum: 1, description }) as const;

/** shotgrid.publish_version: create a Version linked to a Shot (or other entity), optionally uploading its movie. */
export const publishVersion = defineAction({
  config: shotgridConfig,
  description:
    'Create a Version in ShotGrid / Flow Production Tracking, optionally uploading the movie and a thumbnail',
  errors: [...SITE_ERRORS, 'SG_NOT_FOUND', 'SG_UPLOAD_FAILED', 'PATH_NOT_FOUND'],
  params: {
    type: 'object',
    required: ['project_id', 'entity_id', 'code'],
    additionalProperties: false,
    properties: {
      project_id: id('Id of the Project'),
      entity_id: id('Id of the entity the Version is for'),
      code: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        pattern: LINE_PATTERN,
        description: 'Version name, e.g. sh010_comp_v003',
      },
      entity_type: {
        type: 'string',
        default: 'Shot',
        pattern: ENTITY_TYPE_PATTERN,
        description: 'Type of that entity: Shot, Asset, …',
      },
      description: {
        type: 'string',
        maxLength: 10_000,
        pattern: TEXT_PATTERN,
        description: 'Version description (notes for review), one line without control characters',
      },
      path_to_movie: {
        type: 'string',
        format: 'path',
        description: 'Movie for review, stored in sg_path_to_movie',
      },
      path_to_frames: {
        type: 'string',
        format: 'path',
        description: 'Frames, e.g. /show/sh010/render/sh010.####.exr (sg_path_to_frames)',
      },
      task_id: id('Id of the Task this Version belongs to (sg_task)'),
      status: {
        type: 'string',
        pattern: STATUS_PATTERN,
        description: "Version status code (sg_status_list), e.g. 'rev'",
      },
      first_frame: {
        type: 'integer',
        description: 'First frame (sg_first_frame); with last_frame also sets frame_count and frame_range',
      },
      last_frame: { type: 'integer', description: 'Last frame (sg_last_frame)' },
      user_id: id('Id of the HumanUser who made the Version (user)'),
      upload_movie: {
        type: 'boolean',
        default: false,
        description: 'Also upload path_to_movie to sg_uploaded_movie for playback in the browser',
      },
      thumbnail: { type: 'string', format: 'path', description: 'Image uploaded as the Version thumbnail' },
    },
  },
  result: {
    type: 'object',
    required: ['version_id', 'version', 'url', 'uploaded'],
    properties: {
      version_id: { type: 'integer', description: 'Id of the new Version' },
      version: {
        type: 'object',
        description: 'The Version as ShotGrid returned it (attributes and links flattened)',
      },
      url: { type: 'string', description: "The Version's page on the site" },
      uploaded: {
        type: 'object',
        properties: { movie: { type: ['string', 'null'] }, thumbnail: { type: ['string', 'null'] } },
        description: 'File names uploaded, if any',
      },
    },
  },
  timeout: 3600,
  async run(params, ctx) {
    const config = shotgridSettings(ctx.config);
    const entityType = params.entity_type ?? 'Shot';
    checkPattern('params.entity_type', entityType, ENTITY_TYPE_PATTERN);
    checkPattern('params.code', params.code, LINE_PATTERN);
    if (params.status !== undefined) checkPattern('params.status', params.status, STATUS_PATTERN);
    if (params.description !== undefined)
      checkPattern('params.description', params.description, TEXT_PATTERN);
    await checkFiles(params);
    const frames = frameFields(params.first_frame, params.last_frame);

    const client = new ShotgridClient(ctx, config);
    ctx.progress(0.05, `creating Version ${params.code}`);
    const { body } = await client.request({
      method: 'POST',
      path: '/entity/versions',
      json: {
        project: { type: 'Project', id: params.project_id },
        code: params.code,
        entity: { type: entityType, id: params.entity_id },
        ...(params.task_id !== undefined ? { sg_task: { type: 'Task', id: params.task_id } } : {}),
        ...(params.user_id !== undefined ? { user: { type: 'HumanUser', id: params.user_id } } : {}),
        ...(params.status !== undefined ? { sg_status_list: params.status } : {}),
        ...(params.description !== undefined ? { description: params.description } : {}),
        ...(params.path_to_movie !== undefined ? { sg_path_to_movie: params.path_to_movie } : {}),
        ...(params.path_to_frames !== undefined ? { sg_path_to_frames: params.path_to_frames } : {}),
        ...frames,
      },
    });
    const version = recordOf(body);
    if (!version)
      throw new OpenClawError('SG_UNAVAILABLE', 'ShotGrid answered the Version creation without a record', {
        details: {},
      });
    ctx.log.info('Version created', { version_id: version.id, code: params.code });

    const uploaded = { movie: null as string | null, thumbnail: null as string | null };
    try {
      if (params.upload_movie && params.path_to_movie) {
        const movie = {
          entity: 'versions',
          id: version.id,
          field: 'sg_uploaded_movie',
          file: params.path_to_movie,
        };
        uploaded.movie = (
          await uploadFile(client, { ...movie, progress: [0.1, params.thumbnail ? 0.85 : 0.95] })
        ).filename;
      }
      if (params.thumbnail) {
        const thumb = { entity: 'versions', id: version.id, field: 'image', file: params.thumbnail };
        uploaded.thumbnail = (await uploadFile(client, { ...thumb, progress: [0.85, 0.95] })).filename;
      }
    } catch (error) {
      // The Version exists: say so, so the caller can retry only the upload rather than publish twice.
      if (!isOpenClawError(error)) throw error;
      throw new OpenClawError(error.code, `${error.message} (Version ${version.id} was created without it)`, {
        details: { ...error.details, version_id: version.id, version_created: true },
        cause: error,
      });
    }
    ctx.progress(1, `published ${params.code}`);
    return { version_id: version.id, version, url: `${config.site}/detail/Version/${version.id}`, uploaded };
  },
});

async function checkFiles(params: {
  path_to_movie?: string;
  upload_movie?: boolean;
  thumbnail?: string;
}): Promise<void> {
  if (params.upload_movie) {
    if (!params.path_to_movie) {
      throw new OpenClawError(
        'INVALID_PARAMS',
        'params.upload_movie needs params.path_to_movie: the movie to upload',
        {
          details: { field: 'params.path_to_movie' },
        },
      );
    }
    await requireFile('params.path_to_movie', params.path_to_movie);
  }
  if (params.thumbnail) await requireFile('params.thumbnail', params.thumbnail);
}

async function requireFile(field: string, file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info)
    throw new OpenClawError('PATH_NOT_FOUND', `${field} does not exist: ${file}`, {
      details: { field, path: file },
    });
  if (!info.isFile())
    throw new OpenClawError('INVALID_PARAMS', `${field} is not a file: ${file}`, {
      details: { field, path: file },
    });
}

function frameFields(first: number | undefined, last: number | undefined): Record<string, unknown> {
  if (first === undefined && last === undefined) return {};
  if (first !== undefined && last !== undefined) {
    if (last < first)
      throw new OpenClawError('INVALID_PARAMS', 'params.last_frame is before params.first_frame', {
        details: { field: 'params.last_frame' },
      });
    return {
      sg_first_frame: first,
      sg_last_frame: last,
      frame_count: last - first + 1,
      frame_range: `${first}-${last}`,
    };
  }
  return first !== undefined ? { sg_first_frame: first } : { sg_last_frame: last };
}
