import { Command, Option } from '../clipanion.js';
import { json } from '../render/table.js';
import { ClientCommand } from './client-command.js';

/** `openclaw health`: is the server up, how many nodes and jobs. */
export class HealthCommand extends ClientCommand {
  static override paths = [['health']];

  static override usage = Command.Usage({
    description: 'Check that the server answers',
    details:
      'Calls `GET /api/health` (no token needed) and prints the version, connected nodes and running jobs.',
    examples: [
      ['Check the local server', '$0 health'],
      ['Check a remote server, as JSON', '$0 health --server https://openclaw.studio.com --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print the JSON response' });

  async run(): Promise<number> {
    const health = await this.client().health();
    if (this.json) this.out(json(health));
    else {
      this.out(
        `${health.status} · OpenClaw Node ${health.version} · ${health.nodes_connected} node(s) connected · ` +
          `${health.pending_commands} job(s) running · up ${health.uptime_s}s`,
      );
    }
    return 0;
  }
}
