import { JOB_STATE_NAMES, type JobStateName, type JobsQuery } from '@openclaw-node/core';
import { Command, Option, UsageError } from '../clipanion.js';
import { renderJobs } from '../render/job.js';
import { json } from '../render/table.js';
import { ClientCommand } from './client-command.js';

const STATES: readonly JobStateName[] = JOB_STATE_NAMES;

/** `openclaw jobs`: the job history, newest first. */
export class JobsCommand extends ClientCommand {
  static override paths = [['jobs']];

  static override usage = Command.Usage({
    description: 'List jobs, newest first',
    details: `
      Calls \`GET /api/jobs\`: every exec is a job, kept in the server's history (30 days by default). Filter by \`--node\`, \`--state\` (comma-separated: ${STATES.join(', ')}), \`--action\` and \`--batch\` (a fan-out). Pages hold \`--limit\` jobs (default 50, at most 500); the line after the table gives the command for the next page.
    `,
    examples: [
      ['The latest jobs', '$0 jobs'],
      ['What failed on a workstation', '$0 jobs --node ws-042 --state failed,timed_out'],
      ['Running and waiting renders', '$0 jobs --action nuke.render_write --state running,queued'],
      ['Every job of a fan-out, as JSON', '$0 jobs --batch 0193a5c2-… --json'],
    ],
  });

  node = Option.String('--node', { description: 'Only jobs of this node' });
  state = Option.String('--state', { description: 'Only jobs in these states (comma-separated)' });
  action = Option.String('--action', { description: 'Only jobs of this action (plugin.action)' });
  batch = Option.String('--batch', { description: 'Only the jobs of this fan-out batch' });
  limit = Option.String('--limit', { description: 'Jobs per page, 1-500 (default 50)' });
  cursor = Option.String('--cursor', { description: 'The page after this cursor (printed under the table)' });
  json = Option.Boolean('--json', false, { description: 'Print the JSON response' });

  async run(): Promise<number> {
    const filter: JobsQuery = {};
    if (this.node !== undefined) filter.node = this.node;
    if (this.action !== undefined) filter.action = this.action;
    if (this.batch !== undefined) filter.batch = this.batch;
    if (this.state !== undefined) filter.state = parseStates(this.state);
    const limit = this.limit === undefined ? undefined : parseLimit(this.limit);
    const page = await this.client().jobs(filter, {
      ...(limit === undefined ? {} : { limit }),
      ...(this.cursor === undefined ? {} : { cursor: this.cursor }),
    });
    if (this.json) {
      this.out(json(page));
      return 0;
    }
    if (page.jobs.length === 0) {
      this.out(this.cursor ? 'No more jobs.' : 'No jobs.');
      return 0;
    }
    this.out(renderJobs(page.jobs));
    if (page.next_cursor) this.out(`More: openclaw jobs ${this.#nextArgs(page.next_cursor)}`);
    return 0;
  }

  #nextArgs(cursor: string): string {
    const args: string[] = [];
    if (this.node !== undefined) args.push('--node', this.node);
    if (this.state !== undefined) args.push('--state', this.state);
    if (this.action !== undefined) args.push('--action', this.action);
    if (this.batch !== undefined) args.push('--batch', this.batch);
    if (this.limit !== undefined) args.push('--limit', this.limit);
    args.push('--cursor', cursor);
    return args.join(' ');
  }
}

function parseStates(text: string): JobStateName[] {
  const states = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = states.find((s) => !(STATES as readonly string[]).includes(s));
  if (bad !== undefined || states.length === 0) {
    throw new UsageError(
      `--state takes ${STATES.join(', ')} (comma-separated), got ${JSON.stringify(bad ?? text)}`,
    );
  }
  return states as JobStateName[];
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > 500) {
    throw new UsageError(`--limit must be a whole number from 1 to 500, got ${JSON.stringify(text)}`);
  }
  return limit;
}
