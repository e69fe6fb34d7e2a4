import { OpenClawError, type Platform } from '@openclaw-node/plugin-sdk';
import { assertPushSafe, numberValue, safeValue, type RvArgv } from './argv.js';
import { assertMediaExists } from './sequence.js';

const mediaPath = { type: 'string', format: 'path', minLength: 1, maxLength: 4096 } as const;
const frame = { type: 'integer', minimum: 0, maximum: 100_000_000 } as const;

/**
 * One `sources` item: a path string, or an object that becomes an RV source group `[ … ]`.
 * `type` is a union rather than oneOf so that `format: "path"` (applies to strings only) and
 * `properties` (objects only) sit on one schema node a path guard can walk.
 */
export const sourceItemSchema = {
  type: ['string', 'object'],
  format: 'path',
  minLength: 1,
  maxLength: 4096,
  required: ['path'],
  additionalProperties: false,
  description:
    'An absolute media path (RV sequence notation allowed: shot.1001-1100#.exr, shot.@@@@.exr, shot.%04d.exr), or an object for a source with layers, audio and per-source options.',
  properties: {
    path: { ...mediaPath, description: 'The media: movie, image, or image sequence pattern.' },
    layers: {
      type: 'array',
      maxItems: 8,
      items: { ...mediaPath, description: 'Another media path.' },
      description: 'More media in the same source: the right eye of a stereo pair, or extra layers.',
    },
    audio: { ...mediaPath, description: 'An audio file played with this source.' },
    in: { ...frame, description: 'First frame to play (-in).' },
    out: { ...frame, description: 'Last frame to play (-out).' },
    fps: { type: 'number', minimum: 0.01, maximum: 1000, description: 'Frame rate of this source (-fps).' },
    range_start: { ...frame, description: 'Renumber the source to start at this frame (-rs).' },
    pixel_aspect: { type: 'number', minimum: 0.01, maximum: 100, description: 'Pixel aspect ratio (-pa).' },
    volume: { type: 'number', minimum: 0, maximum: 10, description: 'Audio volume (-volume).' },
    no_movie_audio: { type: 'boolean', description: 'Ignore the audio inside a movie file (-noMovieAudio).' },
    file_lut: { ...mediaPath, description: 'File LUT (-flut).' },
    look_lut: { ...mediaPath, description: 'Look LUT (-llut).' },
    file_cdl: { ...mediaPath, description: 'File CDL (-fcdl).' },
    look_cdl: { ...mediaPath, description: 'Look CDL (-lcdl).' },
  },
} as const;

/** A source as the handler sees it. */
export interface SourceObject {
  path: string;
  layers?: string[];
  audio?: string;
  in?: number;
  out?: number;
  fps?: number;
  range_start?: number;
  pixel_aspect?: number;
  volume?: number;
  no_movie_audio?: boolean;
  file_lut?: string;
  look_lut?: string;
  file_cdl?: string;
  look_cdl?: string;
}
export type SourceItem = string | SourceObject;

const NUMBER_OPTIONS = [
  ['in', '-in'],
  ['out', '-out'],
  ['fps', '-fps'],
  ['range_start', '-rs'],
  ['pixel_aspect', '-pa'],
  ['volume', '-volume'],
] as const;
const FILE_OPTIONS = [
  ['file_lut', '-flut'],
  ['look_lut', '-llut'],
  ['file_cdl', '-fcdl'],
  ['look_cdl', '-lcdl'],
] as const;

/** Every local path a source refers to, with the field naming it. */
export function sourcePaths(source: SourceItem, field: string): { path: string; field: string }[] {
  if (typeof source === 'string') return [{ path: source, field }];
  const paths = [{ path: source.path, field: `${field}.path` }];
  source.layers?.forEach((layer, i) => paths.push({ path: layer, field: `${field}.layers[${i}]` }));
  if (source.audio) paths.push({ path: source.audio, field: `${field}.audio` });
  for (const [key] of FILE_OPTIONS) {
    const value = source[key];
    if (value) paths.push({ path: value, field: `${field}.${key}` });
  }
  return paths;
}

/** Check what the schema cannot: in <= out, and that every path exists (sequences by their frames). */
export async function checkSources(sources: SourceItem[], options: { pushTo?: Platform }): Promise<void> {
  for (const [i, source] of sources.entries()) {
    const field = `params.sources[${i}]`;
    if (
      typeof source !== 'string' &&
      source.in !== undefined &&
      source.out !== undefined &&
      source.out < source.in
    ) {
      throw new OpenClawError('INVALID_PARAMS', `${field}.out must not be before ${field}.in`, {
        details: { field: `${field}.out` },
      });
    }
    for (const entry of sourcePaths(source, field)) {
      if (options.pushTo) assertPushSafe(entry.path, entry.field, options.pushTo);
      const kind = await assertMediaExists(entry.path, entry.field);
      if (entry.field.endsWith('_lut') || entry.field.endsWith('_cdl') || entry.field.endsWith('.audio')) {
        if (kind !== 'file') {
          throw new OpenClawError('PATH_NOT_FOUND', `${entry.field} must be a file: ${entry.path}`, {
            details: { field: entry.field, path: entry.path },
          });
        }
      }
    }
  }
}

/** Append one source: a plain path, or `[ path layers… audio -in N … ]` when it carries more. */
export function appendSource(argv: RvArgv, source: SourceItem, field: string): void {
  if (typeof source === 'string') {
    argv.value(source, field);
    return;
  }
  const extras = sourcePaths(source, field).slice(1);
  const hasOptions =
    NUMBER_OPTIONS.some(([key]) => source[key] !== undefined) || source.no_movie_audio === true;
  if (extras.length === 0 && !hasOptions) {
    argv.value(source.path, `${field}.path`);
    return;
  }
  argv.open().value(source.path, `${field}.path`);
  source.layers?.forEach((layer, i) => argv.value(layer, `${field}.layers[${i}]`));
  if (source.audio) argv.value(source.audio, `${field}.audio`);
  for (const [key, flag] of NUMBER_OPTIONS) {
    const value = source[key];
    if (value !== undefined) argv.flag(flag, numberValue(value, `${field}.${key}`));
  }
  if (source.no_movie_audio) argv.flag('-noMovieAudio');
  for (const [key, flag] of FILE_OPTIONS) {
    const value = source[key];
    if (value) argv.flag(flag, safeValue(value, `${field}.${key}`));
  }
  argv.close();
}
