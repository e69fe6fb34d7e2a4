import { Command, Option } from '../../clipanion.js';
import { followInterruptible, INTERRUPTED_EXIT_CODE } from '../../jobs/follow-interruptible.js';
import { describeJob } from '../../render/job.js';
import { json } from '../../render/table.js';
import { ClientCommand } from '../client-command.js';

/** `openclaw job <id>`: one job, or its events as they happen with `--follow`. */
export class JobShowCommand extends ClientCommand {
  static override paths = [['job'], ['job', 'show']];

  static override usage = Command.Usage({
    description: 'Show one job, or follow it until it ends',
    details: `
      Calls \`GET /api/jobs/:id\`: state, times, params (secrets redacted), result or error, and the last lines of its log.

      \`--follow\` streams \`GET /api/jobs/:id/events\` from the start: log lines as they come, a progress line, state changes, until the job ends (exit 0 when it succeeded, 1 otherwise). With \`--json\`, one JSON line per event, then the job.
    `,
    examples: [
      ['Show a job', '$0 job 0193a5c2-7f10-7000-8a1b-2c3d4e5f6a7b'],
      ['Follow a render to its end', '$0 job 0193a5c2-7f10-7000-8a1b-2c3d4e5f6a7b --follow'],
      ['Events as JSON lines', '$0 job 0193a5c2-7f10-7000-8a1b-2c3d4e5f6a7b --follow --json'],
    ],
  });

  id = Option.String({ name: 'command-id' });
  follow = Option.Boolean('--follow,-f', false, { description: 'Stream the job’s events until it ends' });
  json = Option.Boolean('--json', false, { description: 'Print JSON (JSON lines with --follow)' });

  async run(): Promise<number> {
    const client = this.client();
    if (!this.follow) {
      const job = await client.job(this.id);
      this.out(this.json ? json(job) : describeJob(job));
      return 0;
    }
    const started = await client.job(this.id);
    const job = await followInterruptible(
      client,
      { commandId: this.id, nodeId: started.node_id, serverArgs: this.serverArgs() },
      {
        write: (text) => this.context.stdout.write(text),
        json: this.json,
        tty: (this.context.stdout as NodeJS.WriteStream).isTTY === true,
      },
      this.context,
    );
    if (job === 'interrupted') return INTERRUPTED_EXIT_CODE;
    if (!this.json) this.out(describeJob(job));
    return job.state === 'succeeded' ? 0 : 1;
  }
}
