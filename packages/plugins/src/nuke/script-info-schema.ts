/** JSON Schema of ScriptInfo, for action results. */
export const SCRIPT_INFO_SCHEMA = {
  type: 'object',
  required: ['first_frame', 'last_frame', 'fps', 'format', 'views', 'write_nodes'],
  properties: {
    nuke_version: { type: 'string' },
    script: { type: 'string' },
    first_frame: { type: 'integer' },
    last_frame: { type: 'integer' },
    fps: { type: 'number' },
    format: {
      type: 'object',
      properties: {
        name: { type: ['string', 'null'] },
        width: { type: 'integer' },
        height: { type: 'integer' },
        pixel_aspect: { type: 'number' },
      },
    },
    views: { type: 'array', items: { type: 'string' } },
    write_nodes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'class'],
        properties: {
          name: { type: 'string' },
          class: { type: 'string' },
          file: { type: ['string', 'null'] },
          file_type: { type: ['string', 'null'] },
          disabled: { type: 'boolean' },
          use_limit: { type: 'boolean' },
          first: { type: ['integer', 'null'] },
          last: { type: ['integer', 'null'] },
        },
      },
    },
  },
} as const;

/** `{ path, version, source }` of the Nuke that answered. */
export const APP_SCHEMA = {
  type: 'object',
  required: ['path', 'version', 'source'],
  properties: {
    path: { type: 'string' },
    version: { type: ['string', 'null'] },
    source: { type: ['string', 'null'] },
  },
} as const;
