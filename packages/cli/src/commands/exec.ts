import { isOpenClawError, parseActionId, type JsonSchema, type ExecBody } from '@openclaw-node/core';
import { OpenClawApiError, type OpenClawClient } from '@openclaw-node/client';
import { Command, Option, UsageError } from '../clipanion.js';
import { coerceParams, parseAssignments, parseParamsOption } from '../params/coerce-params.js';
import { formatError } from '../render/error.js';
import { json } from '../render/table.js';
import { ClientCommand } from './client-command.js';

/** `openclaw exec <node> <plugin.action> [key=value ...]`: run one action on one node. */
export class ExecCommand extends ClientCommand {
  static override paths = [['exec']];

  static override usage = Command.Usage({
    description: 'Run an action on a node',
    details: `
      Sends \`POST /api/nodes/:id/exec\` and waits for the node's answer.

      \`key=value\` params are typed by the action's params schema (read from the node): integers and numbers, booleans (\`true/false/1/0/yes/no\`), arrays (a JSON array, comma-separated items, or the key repeated), objects (JSON). \`--params\` takes a JSON object; \`key=value\` pairs override its keys.

      Prints the result as JSON (\`--json\`: the whole response). On failure prints \`CODE: message\` on stderr and exits 1.
    `,
    examples: [
      ['Open a folder on a workstation', '$0 exec ws-042 explorer.open_folder path=/mnt/projects/show/sh010'],
      [
        'Typed params: a number and a string',
        '$0 exec ws-042 nuke.render_write script=/show/sh010/comp.nk frame_range=1001-1100 threads=8',
      ],
      ['An array param', '$0 exec ws-042 rv.open_sources sources=/show/a.exr,/show/b.exr'],
      [
        'Params as JSON, a longer timeout, the full response',
        `$0 exec ws-042 nuke.render_write --params '{"script": "/show/a.nk"}' --timeout 3600 --json`,
      ],
    ],
  });

  node = Option.String({ name: 'node-id' });
  action = Option.String({ name: 'plugin.action' });
  assignments = Option.Rest({ name: 'key=value' });
  params = Option.String('--params', {
    description: 'Params as a JSON object (key=value pairs override its keys)',
  });
  timeout = Option.String('--timeout', { description: 'Timeout in seconds (default: the action’s own)' });
  json = Option.Boolean('--json', false, { description: 'Print the whole JSON response' });

  async run(): Promise<number> {
    try {
      parseActionId(this.action, 'plugin.action');
    } catch (error) {
      throw new UsageError(isOpenClawError(error) ? error.message : String(error));
    }
    const assignments = parseAssignments(this.assignments);
    const base = this.params === undefined ? {} : parseParamsOption(this.params);
    const body: ExecBody = { action: this.action };
    if (this.timeout !== undefined) body.timeout = parseTimeout(this.timeout);
    const client = this.client();
    const schema = assignments.length ? await this.paramsSchema(client) : undefined;
    const params = { ...base, ...coerceParams(assignments, schema) };
    if (Object.keys(params).length) body.params = params;
    try {
      const response = await client.exec(this.node, body);
      this.out(json(this.json || !('result' in response) ? response : response.result));
      return 0;
    } catch (error) {
      if (this.json && error instanceof OpenClawApiError) this.out(json(error.body));
      this.context.stderr.write(formatError(error));
      return 1;
    }
  }

  /** The action's params schema from the node's manifest; undefined when the node lacks the plugin or action. */
  private async paramsSchema(client: OpenClawClient): Promise<JsonSchema | undefined> {
    const { plugin, action } = parseActionId(this.action);
    const node = await client.node(this.node);
    const manifest = node.manifests.find((m) => m.name === plugin);
    return manifest && Object.hasOwn(manifest.actions, action) ? manifest.actions[action]!.params : undefined;
  }
}

function parseTimeout(text: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--timeout must be a positive number of seconds, got ${JSON.stringify(text)}`);
  }
  return seconds;
}
