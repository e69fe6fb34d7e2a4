import { Command, Option } from '../clipanion.js';
import { json, renderTable, since } from '../render/table.js';
import { ClientCommand } from './client-command.js';

/** `openclaw nodes`: the connected workstations. */
export class NodesCommand extends ClientCommand {
  static override paths = [['nodes']];

  static override usage = Command.Usage({
    description: 'List the connected nodes',
    details: 'Calls `GET /api/nodes`. Without `--json`, prints one aligned row per node.',
    examples: [
      ['List nodes', '$0 nodes'],
      ['Node ids for a script', "$0 nodes --json | jq -r '.nodes[].node_id'"],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print the JSON response' });

  async run(): Promise<number> {
    const response = await this.client().nodes();
    if (this.json) {
      this.out(json(response));
      return 0;
    }
    if (response.nodes.length === 0) {
      this.out('No nodes connected.');
      return 0;
    }
    const now = new Date();
    const rows = response.nodes.map((n) => [
      n.node_id,
      n.platform,
      n.hostname,
      n.agent_version,
      String(n.pending_commands),
      since(n.connected_at, now),
      n.plugins.join(',') || '-',
    ]);
    this.out(renderTable(['NODE', 'PLATFORM', 'HOSTNAME', 'AGENT', 'JOBS', 'CONNECTED', 'PLUGINS'], rows));
    return 0;
  }
}
