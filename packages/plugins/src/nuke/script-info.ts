import { OpenClawError } from '@openclaw-node/plugin-sdk';
import { GET_INFO_ASSET, resolveAsset } from './asset-path.js';
import { BATCH_ENV } from './batch-env.js';
import { RenderLog } from './render-log.js';
import { licenseFailure } from './render-outcome.js';
import type { NukeContext } from './nuke-config.js';

/** The markers nuke_get_info.py prints its answer behind (see assets/nuke/nuke_get_info.py). */
export const RESULT_MARKER = '@@AGENT_RESULT@@';
export const ERROR_MARKER = '@@AGENT_ERROR@@';

/** One Write, DeepWrite or WriteGeo node of a script. */
export interface WriteNodeInfo {
  name: string;
  class: string;
  file: string | null;
  file_type: string | null;
  disabled: boolean;
  use_limit: boolean;
  first: number | null;
  last: number | null;
}

/** What nuke_get_info.py reports about a script. */
export interface ScriptInfo {
  nuke_version: string;
  script: string;
  first_frame: number;
  last_frame: number;
  fps: number;
  format: { name: string | null; width: number; height: number; pixel_aspect: number };
  views: string[];
  write_nodes: WriteNodeInfo[];
}

/** Options for one terminal-mode run. */
export interface ScriptInfoOptions {
  interactiveLicense: boolean;
  nukex: boolean;
}

/**
 * Open a script in terminal mode (`Nuke -t nuke_get_info.py script.nk`) and read the JSON the
 * bundled Python script prints behind its marker; everything else Nuke prints is ignored.
 */
export async function readScriptInfo(
  ctx: NukeContext,
  exe: string,
  script: string,
  options: ScriptInfoOptions,
): Promise<ScriptInfo> {
  const args = ['-t'];
  if (options.interactiveLicense) args.push('-i');
  if (options.nukex) args.push('--nukex');
  args.push(resolveAsset(GET_INFO_ASSET), script);
  const result = await ctx.run(exe, args, { env: BATCH_ENV, maxOutputBytes: 4 * 1024 * 1024 });
  return parseScriptInfo(result.stdout, result.stderr, result.exitCode);
}

/** Turn the output of a get_info run into ScriptInfo, or SCRIPT_LOAD_FAILED / LICENSE_UNAVAILABLE. */
export function parseScriptInfo(stdout: string, stderr: string, exitCode: number | null): ScriptInfo {
  const lines = stdout.split(/\r?\n|\r/);
  const log = new RenderLog();
  for (const line of [...lines, ...stderr.split(/\r?\n|\r/)]) log.push(line);

  const after = (marker: string): string | undefined => {
    const line = lines.findLast((l) => l.includes(marker));
    return line === undefined ? undefined : line.slice(line.indexOf(marker) + marker.length);
  };
  const failed = (message: string, extra: Record<string, unknown> = {}): OpenClawError =>
    new OpenClawError('SCRIPT_LOAD_FAILED', message, {
      details: { exit_code: exitCode, ...extra, log_tail: log.tail() },
    });

  const error = after(ERROR_MARKER);
  if (error !== undefined) {
    const payload = parseJson(error) as { type?: unknown; message?: unknown } | undefined;
    const message = typeof payload?.message === 'string' ? payload.message : error.slice(0, 500);
    throw failed(`Nuke could not load the script: ${message}`, {
      error_type: typeof payload?.type === 'string' ? payload.type : null,
    });
  }
  const answer = after(RESULT_MARKER);
  if (answer !== undefined) {
    const info = parseJson(answer);
    if (!isScriptInfo(info)) throw failed('nuke_get_info.py printed a result that is not valid script info');
    return info;
  }
  const license = licenseFailure(log, exitCode === 0 ? 1 : exitCode, 0);
  if (license) throw license;
  throw failed(
    `Nuke printed no result line (exit code ${String(exitCode)}); the script or Nuke itself failed to start`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isScriptInfo(value: unknown): value is ScriptInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.first_frame === 'number' &&
    typeof v.last_frame === 'number' &&
    typeof v.format === 'object' &&
    v.format !== null &&
    Array.isArray(v.views) &&
    Array.isArray(v.write_nodes)
  );
}
