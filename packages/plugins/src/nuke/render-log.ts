/** What one line of `nuke -x` output meant. */
export type RenderEvent =
  | { kind: 'frame'; frame: number; index: number; total: number }
  | { kind: 'output'; path: string; seconds: number }
  | { kind: 'error'; line: string }
  | { kind: 'license'; line: string };

// Per frame Nuke prints "Writing <file> took 3.16 seconds" for each file, then "Frame 1010 (2 of 5)"
// (APPS.md §3.2: deadline-cloud-for-nuke's output regex; observed Nuke 13.1 logs).
const FRAME_LINE = /\bFrame (-?\d+) \((\d+) of (\d+)\)/;
const WRITING_LINE = /\bWriting (.+) took ([0-9.]+) seconds/;
// The error shapes deadline-cloud-for-nuke treats as failures.
const ERROR_LINE = /ERROR:|Error:|Error :|Eddy\[ERROR\]/;
// Foundry's licensing failures (RLM and login licensing); none of them matches ERROR_LINE.
const LICENSE_LINE =
  /A licen[cs]e for \S+ was not found|FOUNDRY LICEN[CS]E ERROR REPORT|RLM : A suitable licen[cs]e does not exist/i;
const MENTIONS_LICENSE = /licen[cs]e/i;

const TAIL_LINES = 60;
const MAX_LINE = 1000;
const MAX_KEPT = 50;

/**
 * Reads Nuke's render output line by line as it arrives: frames done, files written, error and
 * license lines, and the last lines of the log for error details.
 */
export class RenderLog {
  /** Frames Nuke reported done, in the order it finished them. */
  readonly frames: number[] = [];
  /** The total from the last `Frame N (i of n)` line. */
  reportedTotal: number | null = null;
  readonly outputs = new Set<string>();
  readonly errorLines: string[] = [];
  readonly licenseLines: string[] = [];
  mentionsLicense = false;
  /** Lines seen so far. */
  lineCount = 0;
  private readonly tailLines: string[] = [];
  private readonly frameSet = new Set<number>();

  /** Take one line; returns what it meant, if anything. */
  push(raw: string): RenderEvent | null {
    this.lineCount++;
    const line = raw.length > MAX_LINE ? `${raw.slice(0, MAX_LINE)}…` : raw;
    if (line.trim() !== '') {
      this.tailLines.push(line);
      if (this.tailLines.length > TAIL_LINES) this.tailLines.shift();
    }
    if (MENTIONS_LICENSE.test(line)) this.mentionsLicense = true;

    const frame = FRAME_LINE.exec(line);
    if (frame) {
      const [number, index, total] = [Number(frame[1]), Number(frame[2]), Number(frame[3])];
      if (!this.frameSet.has(number)) {
        this.frameSet.add(number);
        this.frames.push(number);
      }
      this.reportedTotal = total;
      return { kind: 'frame', frame: number, index, total };
    }
    const writing = WRITING_LINE.exec(line);
    if (writing) {
      const path = writing[1]!.trim();
      this.outputs.add(path);
      return { kind: 'output', path, seconds: Number(writing[2]) };
    }
    if (LICENSE_LINE.test(line)) {
      if (this.licenseLines.length < MAX_KEPT) this.licenseLines.push(line.trim());
      return { kind: 'license', line: line.trim() };
    }
    if (ERROR_LINE.test(line)) {
      if (this.errorLines.length < MAX_KEPT) this.errorLines.push(line.trim());
      return { kind: 'error', line: line.trim() };
    }
    return null;
  }

  /** Frames written, ascending; falls back to frame numbers in written file names if Nuke printed no frame lines. */
  framesWritten(): number[] {
    if (this.frames.length > 0 || this.outputs.size === 0) return [...this.frameSet].sort((a, b) => a - b);
    const fromNames = new Set<number>();
    for (const file of this.outputs) {
      const match = /(\d+)(?=\.[^./\\]+$)/.exec(file);
      if (match) fromNames.add(Number(match[1]));
    }
    return [...fromNames].sort((a, b) => a - b);
  }

  /** The last lines Nuke printed (stdout and stderr as they arrived). */
  tail(): string[] {
    return [...this.tailLines];
  }
}
