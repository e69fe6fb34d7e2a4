/** Reads ffmpeg's `-progress pipe:1` blocks (stdout) and its `Duration:` line (stderr) into progress. */
export interface FfmpegProgress {
  onStdoutLine: (line: string) => void;
  onStderrLine: (line: string) => void;
  /** Frames written so far, from the last progress block. */
  readonly frames: number;
}

/**
 * Track ffmpeg's progress. The fraction comes from frames when the frame count is known (an image
 * sequence), else from the output time over the input's duration (a movie); it stays below 1
 * until ffmpeg says `progress=end`.
 */
export function createFfmpegProgress(options: {
  totalFrames?: number;
  report: (fraction: number, message: string) => void;
}): FfmpegProgress {
  let frames = 0;
  let outTimeUs = 0;
  let durationUs: number | undefined;
  let last = -1;
  return {
    get frames() {
      return frames;
    },
    onStderrLine: (line) => {
      const match = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
      if (match && durationUs === undefined) {
        durationUs = ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1e6;
      }
    },
    onStdoutLine: (line) => {
      const [key, value = ''] = line.trim().split('=', 2);
      if (key === 'frame') frames = Number(value) || frames;
      else if (key === 'out_time_us' || key === 'out_time_ms') outTimeUs = Number(value) || outTimeUs;
      else if (key === 'progress') {
        const done = value === 'end';
        const fraction = done
          ? 1
          : options.totalFrames
            ? frames / options.totalFrames
            : durationUs
              ? outTimeUs / durationUs
              : 0;
        const clamped = done ? 1 : Math.min(0.99, Math.max(0, fraction));
        // One report per percent is plenty for a progress bar.
        if (done || Math.floor(clamped * 100) > Math.floor(last * 100)) {
          last = clamped;
          options.report(
            clamped,
            options.totalFrames ? `frame ${frames} of ${options.totalFrames}` : `${frames} frames`,
          );
        }
      }
    },
  };
}
