import type { JobEvent } from '../../job-model.js';

/**
 * A message for one process that a job's create published with the job's first event
 * (NewJob.handover), kept beside that very event object: in scale-out, the start call to the process
 * holding the node, which then gets the job and its start in one message. Absent after a catch-up
 * from the stream (pub/sub only): the caller's deadline settles a start that never came.
 */
const carried = new WeakMap<JobEvent, { to: string; message: string }>();

/** Called by the event feed before it delivers `event`, with the line after it (`>` + to + ' ' + message). */
export function carryHandover(event: JobEvent, line: string): void {
  const space = line.indexOf(' ');
  if (space > 1) carried.set(event, { to: line.slice(1, space), message: line.slice(space + 1) });
}

/** The hand-over the create of `event`'s job published with it, if any. */
export function handoverOf(event: JobEvent): { to: string; message: string } | undefined {
  return carried.get(event);
}
