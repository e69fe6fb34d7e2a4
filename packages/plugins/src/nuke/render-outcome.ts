import { OpenClawError } from '@openclaw-node/plugin-sdk';
import type { RenderLog } from './render-log.js';

/** How the Nuke process ended and what was asked of it. */
export interface RenderEnding {
  exitCode: number | null;
  signal: string | null;
  /** The frames requested, or null when the script's own range was rendered. */
  requested: readonly number[] | null;
  continueOnError: boolean;
}

const LIST_CAP = 200;

/** The license failure, if the output shows one; shared by render and terminal runs. */
export function licenseFailure(
  log: RenderLog,
  exitCode: number | null,
  written: number,
): OpenClawError | null {
  const failed = exitCode !== 0;
  const certain = log.licenseLines.length > 0 && (failed || written === 0);
  // A bare mention of "licence" also appears on success ("Using "nuke" licence."), so it only counts
  // when Nuke failed without rendering anything and without reporting any other error.
  const likely = failed && written === 0 && log.mentionsLicense && log.errorLines.length === 0;
  if (!certain && !likely) return null;
  const first = log.licenseLines[0] ?? log.tail().find((line) => /licen[cs]e/i.test(line)) ?? 'license error';
  return new OpenClawError('LICENSE_UNAVAILABLE', `Nuke could not get a license: ${first}`, {
    details: {
      exit_code: exitCode,
      hint: 'Check foundry_LICENSE (port@host) and the license server, or try interactive_license: true (-i)',
      log_tail: log.tail(),
    },
  });
}

/**
 * Decide whether a finished `nuke -x` run succeeded; throws LICENSE_UNAVAILABLE or RENDER_FAILED
 * (with the log tail, the error lines and the frames written and missing) when it did not.
 */
export function judgeRender(log: RenderLog, ending: RenderEnding): void {
  const written = log.framesWritten();
  const license = licenseFailure(log, ending.exitCode, written.length);
  if (license) throw license;

  const fail = (reason: string, missing: number[] = []): OpenClawError =>
    new OpenClawError('RENDER_FAILED', `Nuke render failed: ${reason}`, {
      details: {
        exit_code: ending.exitCode,
        signal: ending.signal,
        errors: log.errorLines,
        frames_written: written.slice(0, LIST_CAP),
        frames_written_count: written.length,
        frames_missing: missing.slice(0, LIST_CAP),
        frames_missing_count: missing.length,
        outputs: [...log.outputs].slice(0, LIST_CAP),
        log_tail: log.tail(),
      },
    });

  const firstError = log.errorLines[0];
  if (ending.exitCode === null) {
    throw fail(
      `Nuke was stopped by ${ending.signal ?? 'a signal'}${firstError ? ` after: ${firstError}` : ''}`,
    );
  }
  if (ending.exitCode !== 0) throw fail(`exit code ${ending.exitCode}${firstError ? `: ${firstError}` : ''}`);
  if (ending.continueOnError && firstError) {
    throw fail(`${log.errorLines.length} error line(s) while continuing past errors: ${firstError}`);
  }

  if (ending.requested) {
    const done = new Set(written);
    const missing = ending.requested.filter((frame) => !done.has(frame));
    if (missing.length > 0) {
      throw fail(
        `${missing.length} of ${ending.requested.length} requested frames were not written (first: ${missing[0]})`,
        missing,
      );
    }
  } else if (written.length === 0) {
    throw fail('Nuke exited without reporting any frame written');
  } else if (log.reportedTotal !== null && written.length < log.reportedTotal) {
    throw fail(`${written.length} of ${log.reportedTotal} frames were reported written`);
  }
}
