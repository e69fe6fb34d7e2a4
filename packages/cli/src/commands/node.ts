import type { NodeDetail } from '@openclaw-node/core';
import { Command, Option } from '../clipanion.js';
import { describeHealth, formatUptime } from '../render/node-health.js';
import { json, renderTable, since } from '../render/table.js';
import { inline } from '../render/terminal-text.js';
import { ClientCommand } from './client-command.js';

/** `openclaw node <id>`: one node with its plugins, actions and running jobs. */
export class NodeCommand extends ClientCommand {
  static override paths = [['node']];

  static override usage = Command.Usage({
    description: 'Show one node: plugins and their health, actions, skipped plugins, running jobs',
    details: 'Calls `GET /api/nodes/:id`. `--json` prints the full detail, with every param schema.',
    examples: [
      ['Show a workstation', '$0 node ws-042'],
      ['Its manifests as JSON', "$0 node ws-042 --json | jq '.manifests'"],
    ],
  });

  id = Option.String({ name: 'node-id' });
  json = Option.Boolean('--json', false, { description: 'Print the JSON response' });

  async run(): Promise<number> {
    const node = await this.client().node(this.id);
    this.out(this.json ? json(node) : describeNode(node));
    return 0;
  }
}

function describeNode(node: NodeDetail): string {
  const now = new Date();
  const lines = [
    `${node.node_id} (${node.status})`,
    `  hostname   ${inline(node.hostname)}`,
    `  platform   ${node.platform} ${inline(node.arch)}`,
    `  agent      ${inline(node.agent_version)}${node.uptime_s === undefined ? '' : `, up ${formatUptime(node.uptime_s)}`}`,
    `  os         ${inline(node.os ?? '-')}`,
    `  tags       ${inline(node.tags.join(', ')) || '-'}`,
    `  connected  ${node.connected_at} (${since(node.connected_at, now)})`,
    `  last seen  ${node.last_seen_at} (${since(node.last_seen_at, now)})`,
    '',
  ];
  const actions = node.manifests.flatMap((m) =>
    Object.entries(m.actions).map(([name, action]) => [
      `${m.name}.${name}`,
      m.version,
      paramSummary(action.params),
      action.description,
    ]),
  );
  lines.push(
    actions.length
      ? renderTable(['ACTION', 'VERSION', 'PARAMS', 'DESCRIPTION'], actions)
      : 'No plugins loaded.\n',
  );
  lines.push(describeHealth(node));
  if (node.skipped_plugins.length) {
    lines.push('Skipped plugins:');
    lines.push(
      renderTable(
        ['PLUGIN', 'REASON'],
        node.skipped_plugins.map((s) => [s.name, s.reason]),
      ),
    );
  }
  if (node.pending_jobs.length) {
    lines.push('Running jobs:');
    const rows = node.pending_jobs.map((j) => [
      j.command_id,
      j.action,
      since(j.started_at, now),
      j.progress === undefined ? '-' : `${Math.round(j.progress * 100)}%`,
      j.message ?? '',
    ]);
    lines.push(renderTable(['COMMAND', 'ACTION', 'STARTED', 'PROGRESS', 'MESSAGE'], rows));
  }
  return lines.join('\n');
}

/** `script* frame_range? threads?`: required params marked with *. */
function paramSummary(schema: Record<string, unknown>): string {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const names = Object.keys(properties).map((name) => (required.has(name) ? `${name}*` : name));
  return names.join(' ') || '-';
}
