import { Command, Option } from '../clipanion.js';
import { json, renderTable } from '../render/table.js';
import { ClientCommand } from './client-command.js';

/** `openclaw plugins`: the catalog of plugins the connected nodes advertise. */
export class PluginsCommand extends ClientCommand {
  static override paths = [['plugins']];

  static override usage = Command.Usage({
    description: 'List the plugins the connected nodes advertise',
    details:
      'Calls `GET /api/plugins`: per plugin its versions, platforms, actions and the nodes that have it.',
    examples: [
      ['List plugins', '$0 plugins'],
      [
        'The params schema of one action',
        '$0 plugins --json | jq \'.plugins[] | select(.name=="rv") | .actions.open_sources.params\'',
      ],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print the JSON response' });

  async run(): Promise<number> {
    const response = await this.client().plugins();
    if (this.json) {
      this.out(json(response));
      return 0;
    }
    if (response.plugins.length === 0) {
      this.out('No plugins: no node is connected.');
      return 0;
    }
    const rows = response.plugins.map((p) => [
      p.name,
      p.versions.join(','),
      p.platforms.join(','),
      p.nodes.map((n) => n.node_id).join(','),
      Object.keys(p.actions).join(','),
    ]);
    this.out(renderTable(['PLUGIN', 'VERSIONS', 'PLATFORMS', 'NODES', 'ACTIONS'], rows));
    return 0;
  }
}
