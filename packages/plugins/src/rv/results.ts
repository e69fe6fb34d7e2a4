/** The result schema shared by open_sources and open_session. */
export const openResultSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'started_new', 'mode', 'tag', 'command'],
  properties: {
    method: {
      enum: ['launched', 'rvpush'],
      description: 'A new RV was launched, or the media was pushed with rvpush.',
    },
    started_new: {
      type: 'boolean',
      description: 'A new RV process was started (always with launched; rvpush exit 15).',
    },
    mode: { enum: ['new', 'merge', 'set'] },
    tag: { type: ['string', 'null'] },
    command: { type: 'array', items: { type: 'string' }, description: 'The program and arguments that ran.' },
    pid: { type: ['integer', 'null'], description: 'With launched: the RV process id.' },
    follow_up: {
      type: 'object',
      additionalProperties: false,
      required: ['sent'],
      properties: {
        sent: { type: 'boolean', description: 'play/fullscreen were sent to the RV with rvpush py-exec.' },
        command: { type: 'array', items: { type: 'string' } },
        reason: { type: 'string', description: 'Why they were not sent.' },
      },
    },
  },
} as const;

export interface OpenResult {
  method: 'launched' | 'rvpush';
  started_new: boolean;
  mode: 'new' | 'merge' | 'set';
  tag: string | null;
  command: string[];
  pid?: number | null;
  follow_up?: { sent: boolean; command?: string[]; reason?: string };
}
