import { Command, Option } from '../clipanion.js';
import { availabilityCell, describePluginNodes } from '../render/node-health.js';
import { json, renderTable } from '../render/table.js';
import { ClientCommand } from './client-command.js';

/** `openclaw plugins`: the catalog of plugins the connected nodes advertise. */
export class PluginsCommand extends ClientCommand {
  static override paths = [['plugins']];

  static override usage = Command.Usage({
    description: 'List the plugins the connected nodes advertise',
    details:
      'Calls `GET /api/plugins`: per plugin its versions, platforms, actions, the nodes that have it and on how many it can run. `--verbose` adds, per node, whether the plugin can run there, the version of its application and why not.',
    examples: [
      ['List plugins', '$0 plugins'],
      ['Why a plugin cannot run on some nodes', '$0 plugins --verbose'],
      [
        'The params schema of one action',
        '$0 plugins --json | jq \'.plugins[] | select(.name=="rv") | .actions.open_sources.params\'',
      ],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print the JSON response' });
  verbose = Option.Boolean('--verbose,-v', false, {
    description: 'Also list each node with its availability, application version and reason',
  });

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
      availabilityCell(p),
      Object.keys(p.actions).join(','),
    ]);
    this.out(renderTable(['PLUGIN', 'VERSIONS', 'PLATFORMS', 'NODES', 'AVAILABLE ON', 'ACTIONS'], rows));
    if (this.verbose) this.out(`\n${describePluginNodes(response.plugins)}`);
    return 0;
  }
}
