import { Command, Option } from '../../clipanion.js';
import { json } from '../../render/table.js';
import { ClientCommand } from '../client-command.js';

/** `openclaw job cancel <id>` (or `openclaw cancel <id>`): stop a queued or running job. */
export class JobCancelCommand extends ClientCommand {
  static override paths = [['job', 'cancel'], ['cancel']];

  static override usage = Command.Usage({
    description: 'Cancel a queued or running job',
    details: `
      Calls \`POST /api/jobs/:id/cancel\`. A queued job ends cancelled at once. A running job is stopped on its node (the action is aborted and every process it started is killed); the command waits a few seconds for the node to confirm. A job that already ended cannot be cancelled (JOB_STATE_CONFLICT).
    `,
    examples: [
      ['Cancel a render', '$0 job cancel 0193a5c2-7f10-7000-8a1b-2c3d4e5f6a7b'],
      ['The short form', '$0 cancel 0193a5c2-7f10-7000-8a1b-2c3d4e5f6a7b'],
    ],
  });

  id = Option.String({ name: 'command-id' });
  json = Option.Boolean('--json', false, { description: 'Print the job as JSON' });

  async run(): Promise<number> {
    const job = await this.client().cancel(this.id);
    if (this.json) this.out(json(job));
    else if (job.state === 'cancelled') this.out(`Job ${job.command_id} cancelled.`);
    else if (job.state === 'running') {
      this.out(
        `Cancel sent to ${job.node_id}; job ${job.command_id} ends when the node stops it (openclaw job ${job.command_id}).`,
      );
    } else this.out(`Job ${job.command_id} ended as ${job.state} before the cancel reached it.`);
    return 0;
  }
}
