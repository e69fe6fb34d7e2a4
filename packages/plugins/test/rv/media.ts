import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A small show tree: two movies, a three-frame EXR sequence, audio, a LUT and an .rv session. */
export interface Media {
  root: string;
  movA: string;
  movB: string;
  plates: string;
  frame: (n: number) => string;
  wav: string;
  lut: string;
  session: string;
  cleanup(): Promise<void>;
}

export async function createMedia(): Promise<Media> {
  const root = await mkdtemp(path.join(tmpdir(), 'openclaw-rv-media-'));
  const plates = path.join(root, 'sh010', 'plates');
  await mkdir(plates, { recursive: true });
  const frame = (n: number) => path.join(plates, `sh010.${n}.exr`);
  for (const n of [1001, 1002, 1003]) await writeFile(frame(n), '');
  const media: Media = {
    root,
    movA: path.join(root, 'sh010', 'comp v003.mov'),
    movB: path.join(root, 'sh010', 'comp_v002.mov'),
    plates,
    frame,
    wav: path.join(root, 'sh010', 'mix.wav'),
    lut: path.join(root, 'show.cube'),
    session: path.join(root, 'review.rv'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  for (const file of [media.movA, media.movB, media.wav, media.lut, media.session]) await writeFile(file, '');
  return media;
}
