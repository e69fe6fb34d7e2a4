import { describe, expect, it } from 'vitest';
import { createFfmpegProgress } from '../src/ffmpeg-progress.js';

const block = (frame: number, seconds: number, end = false): string[] => [
  `frame=${frame}`,
  `out_time_us=${seconds * 1e6}`,
  `progress=${end ? 'end' : 'continue'}`,
];

describe('ffmpeg progress', () => {
  it('counts frames against the known total and ends at 1 only on progress=end', () => {
    const reports: [number, string][] = [];
    const progress = createFfmpegProgress({
      totalFrames: 100,
      report: (fraction, message) => reports.push([fraction, message]),
    });
    for (const line of [...block(50, 2), ...block(50, 2), ...block(100, 4), ...block(100, 4, true)])
      progress.onStdoutLine(line);
    expect(reports).toEqual([
      [0.5, 'frame 50 of 100'],
      [0.99, 'frame 100 of 100'],
      [1, 'frame 100 of 100'],
    ]);
    expect(progress.frames).toBe(100);
  });

  it('uses the output time over the duration from the log when the frame count is unknown', () => {
    const reports: number[] = [];
    const progress = createFfmpegProgress({ report: (fraction) => reports.push(fraction) });
    progress.onStdoutLine('progress=continue');
    progress.onStderrLine('  Duration: 00:01:40.00, start: 0.000000, bitrate: 1000 kb/s');
    for (const line of block(600, 25)) progress.onStdoutLine(line);
    expect(reports).toEqual([0, 0.25]);
  });
});
