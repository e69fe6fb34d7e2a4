import type { JobEvent, JobRecord } from '../../job-model.js';
import { toJobRecord } from '../job-row.js';
import { fromStoredJob } from './redis-rows.js';

/**
 * The row a job's ending write published with its terminal `state` event (see `emit` in
 * redis-lua-prelude.ts), kept beside that very event object: a process waiting for a job another
 * process ran answers from it instead of reading the job back. Absent after a catch-up from the
 * stream, for rows over ENDED_ROW_MAX_BYTES, and for writes of older versions: read the job then.
 */
const carried = new WeakMap<JobEvent, string>();

/** Called by the event feed before it delivers `event`. */
export function carryEndedRow(event: JobEvent, json: string): void {
  carried.set(event, json);
}

/** The job as its ending write left it, when `event` brought it along. */
export function endedRecordOf(event: JobEvent): JobRecord | undefined {
  const json = carried.get(event);
  if (json === undefined) return undefined;
  try {
    const [hash, log] = JSON.parse(json) as [unknown, unknown];
    // Lua's cjson writes an empty log tail as {}.
    const record = toJobRecord(fromStoredJob([hash, Array.isArray(log) ? log : []]));
    return record.command_id === event.job_id ? record : undefined;
  } catch {
    return undefined;
  }
}
