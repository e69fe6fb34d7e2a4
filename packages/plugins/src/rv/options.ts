import { OpenClawError } from '@openclaw-node/plugin-sdk';
import { numberValue, safeValue, type RvArgv } from './argv.js';

/** rvpush `-tag` values: no `_` (rvpush splits port-file names on it), no leading `-`, no brackets. */
export const TAG_PATTERN = '^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$';
const TAG_REGEX = new RegExp(TAG_PATTERN);

export const tagParam = {
  type: 'string',
  pattern: TAG_PATTERN,
  description:
    'Network tag of the RV to talk to: a new RV is started with -networkTag <tag> -network, and rvpush -tag <tag> finds it. Letters, digits, "." and "-" (no "_").',
} as const;

/** Display options shared by open_sources and open_session, as schema properties. */
export const displayOptionProperties = {
  play: { type: 'boolean', description: 'Start playing (-play).' },
  fullscreen: { type: 'boolean', description: 'Start in fullscreen (-fullscreen).' },
  present: {
    type: 'boolean',
    description: 'Presentation mode on the presentation device (-present). Mode "new" only.',
  },
  screen: {
    type: 'integer',
    minimum: 0,
    maximum: 16,
    description: 'Start on this screen (-screen). Mode "new" only.',
  },
  network: {
    type: 'boolean',
    description: 'Listen for rvpush even without a tag (-network). Mode "new" only; implied by tag.',
  },
} as const;

export interface DisplayOptions {
  play?: boolean;
  fullscreen?: boolean;
  present?: boolean;
  screen?: number;
  network?: boolean;
  tag?: string | undefined;
}

/** Re-check a tag in the handler (the schema pattern already did, but argv is never trusted to it). */
export function checkTag(tag: string | undefined): string | undefined {
  if (tag === undefined) return undefined;
  if (!TAG_REGEX.test(tag)) {
    throw new OpenClawError('INVALID_PARAMS', `params.tag must match ${TAG_PATTERN}`, {
      details: { field: 'params.tag', value: tag.slice(0, 100) },
    });
  }
  return safeValue(tag, 'params.tag');
}

/** Append the networking and display flags of a new RV. */
export function appendDisplayOptions(argv: RvArgv, options: DisplayOptions): void {
  const tag = checkTag(options.tag);
  if (tag) argv.flag('-networkTag', tag);
  if (tag || options.network) argv.flag('-network');
  if (options.play) argv.flag('-play');
  if (options.fullscreen) argv.flag('-fullscreen');
  if (options.present) argv.flag('-present');
  if (options.screen !== undefined) argv.flag('-screen', numberValue(options.screen, 'params.screen'));
}

/** Refuse options that only a new RV understands when pushing to a running one. */
export function assertNewOnly(params: Record<string, unknown>, keys: readonly string[], mode: string): void {
  for (const key of keys) {
    if (params[key] !== undefined && params[key] !== false) {
      throw new OpenClawError(
        'INVALID_PARAMS',
        `params.${key} applies only to mode "new": rvpush ${mode} cannot change it in a running RV`,
        { details: { field: `params.${key}`, mode } },
      );
    }
  }
}
