import { stat } from 'node:fs/promises';
import { OpenClawError, defineAction } from '@openclaw-node/plugin-sdk';
import { integerOrNull, recordList, stringOrNull } from './answer-fields.js';
import { runBridge } from './bridge.js';
import { BIN_PATTERN, checkBinPath } from './names.js';
import { BRIDGE_ERRORS } from './error-codes.js';
import { resolveConfig } from './config.js';

/** resolve.add_to_media_pool: import files into the current project's media pool. */
export const addToMediaPool = defineAction({
  config: resolveConfig,
  description:
    "Import media files into the current DaVinci Resolve project's media pool, optionally into a bin",
  errors: [...BRIDGE_ERRORS, 'RESOLVE_IMPORT_FAILED', 'PATH_NOT_FOUND'],
  params: {
    type: 'object',
    required: ['files'],
    additionalProperties: false,
    properties: {
      files: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        items: { type: 'string', format: 'path' },
        description: 'Absolute paths of the media files to import',
      },
      bin: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        pattern: BIN_PATTERN,
        description:
          "Media pool bin to import into, created if missing; nested bins separated by '/' (default: the current bin)",
      },
    },
  },
  result: {
    type: 'object',
    required: ['project', 'requested', 'imported', 'items'],
    properties: {
      project: { type: 'string', description: 'The project the media went into' },
      bin: { type: ['string', 'null'], description: 'The bin the media went into' },
      requested: { type: 'integer', description: 'Number of files asked for' },
      imported: { type: 'integer', description: 'Number of media pool items Resolve created' },
      items: {
        type: 'array',
        description: 'The new media pool items',
        items: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', description: 'Clip name' },
            media_id: { type: ['string', 'null'], description: "Resolve's media id" },
            file_path: { type: ['string', 'null'], description: 'The file the clip points at' },
          },
        },
      },
    },
  },
  timeout: 300,
  exclusive: true,
  async run(params, ctx) {
    for (const [index, file] of params.files.entries()) {
      const field = `params.files[${index}]`;
      const info = await stat(file).catch(() => null);
      if (!info)
        throw new OpenClawError('PATH_NOT_FOUND', `${field} does not exist: ${file}`, {
          details: { field, path: file },
        });
      if (!info.isFile()) {
        throw new OpenClawError(
          'INVALID_PARAMS',
          `${field} is not a file (list the files of a folder instead): ${file}`,
          {
            details: { field, path: file },
          },
        );
      }
    }
    if (params.bin !== undefined) checkBinPath(params.bin);
    ctx.progress(0.1, `importing ${params.files.length} file(s) into Resolve`);
    const answer = await runBridge(ctx, {
      action: 'add_to_media_pool',
      args: { files: params.files, bin: params.bin ?? null },
      defaultTimeoutSeconds: 240,
    });
    const items = recordList(answer.items).map((item) => ({
      name: stringOrNull(item.name) ?? '',
      media_id: stringOrNull(item.media_id),
      file_path: stringOrNull(item.file_path),
    }));
    ctx.progress(1, `imported ${items.length} item(s)`);
    return {
      project: stringOrNull(answer.project) ?? '',
      bin: stringOrNull(answer.bin),
      requested: integerOrNull(answer.requested) ?? params.files.length,
      imported: integerOrNull(answer.imported) ?? items.length,
      items,
    };
  },
});
