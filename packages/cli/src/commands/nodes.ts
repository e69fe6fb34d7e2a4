import { Command, Option } from '../clipanion.js';
import { formatUptime, pluginsCell } from '../render/node-health.js';
import { json, renderTable, since } from '../render/table.js';
import { ClientCommand } from './client-command.js';

/** `openclaw nodes`: the connected workstations. */
export class NodesCommand extends ClientCommand {
  static override paths = [['nodes']];

  static override usage = Command.Usage({
    description: 'List the connected nodes',
    details:
      'Calls `GET /api/nodes`. Without `--json`, prints one aligned row per node; in PLUGINS, `rv✗` marks a plugin that cannot run there (`openclaw node <id>` says why).',
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
      n.os ?? '-',
      n.agent_version,
      formatUptime(n.uptime_s),
      String(n.pending_commands),
      since(n.connected_at, now),
      pluginsCell(n),
    ]);
    this.out(
      renderTable(
        ['NODE', 'PLATFORM', 'HOSTNAME', 'OS', 'AGENT', 'UPTIME', 'JOBS', 'CONNECTED', 'PLUGINS'],
        rows,
      ),
    );
    return 0;
  }
}
