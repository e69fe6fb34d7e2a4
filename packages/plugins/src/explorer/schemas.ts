/** The one param both actions take. */
export const pathParam = {
  type: 'string',
  format: 'path',
  minLength: 1,
  maxLength: 4096,
} as const;

const command = {
  type: 'array',
  items: { type: 'string' },
  description: 'The program and arguments that were started.',
} as const;

const stillRunning = {
  type: 'boolean',
  description:
    'xdg-open had not exited when the agent stopped waiting; it keeps running and owns the window.',
} as const;

/** What open_folder returns. */
export const openFolderResult = {
  type: 'object',
  additionalProperties: false,
  required: ['opened', 'requested', 'method', 'command'],
  properties: {
    opened: { type: 'string', description: 'The folder that was opened.' },
    requested: {
      type: 'string',
      description: 'The path as given; its parent folder is opened when it is a file.',
    },
    method: { enum: ['explorer', 'open', 'xdg-open'], description: 'The tool that opened it.' },
    command,
    still_running: stillRunning,
  },
} as const;

/** What reveal_file returns. */
export const revealFileResult = {
  type: 'object',
  additionalProperties: false,
  required: ['revealed', 'method', 'command'],
  properties: {
    revealed: { type: 'string', description: 'The file or folder asked for.' },
    method: {
      enum: ['explorer', 'open', 'dbus', 'parent-folder'],
      description:
        'explorer /select, open -R, the FileManager1 D-Bus call, or its parent folder opened with xdg-open.',
    },
    command,
    opened: { type: 'string', description: 'With parent-folder: the folder opened.' },
    fallback_reason: { type: 'string', description: 'With parent-folder: why the D-Bus call was not used.' },
    still_running: stillRunning,
  },
} as const;
