import {
  isOpenClawError,
  parseActionId,
  type ExecBody,
  type ExecTargetSelector,
  type FanOutBody,
  type JsonSchema,
} from '@openclaw-node/core';
import { OpenClawApiError, type ExecOptions, type OpenClawClient } from '@openclaw-node/client';
import { Command, Option, UsageError } from '../clipanion.js';
import { parseTarget } from '../jobs/exec-target.js';
import { followInterruptible, INTERRUPTED_EXIT_CODE } from '../jobs/follow-interruptible.js';
import { coerceParams, parseAssignments, parseParamsOption } from '../params/coerce-params.js';
import { formatError } from '../render/error.js';
import { describeAccepted, renderFanOut } from '../render/job.js';
import { json } from '../render/table.js';
import { ClientCommand } from './client-command.js';

/**
 * `openclaw exec <node> <plugin.action> [key=value ...]`: run one action on one node;
 * `openclaw exec --tags comp <plugin.action> …`: on every matching node.
 */
export class ExecCommand extends ClientCommand {
  static override paths = [['exec']];

  static override usage = Command.Usage({
    description: 'Run an action on a node, or on every node a target matches',
    details: `
      \`openclaw exec <node-id> <plugin.action> [key=value ...]\` sends \`POST /api/nodes/:id/exec\` and waits for the node's answer. \`--no-wait\` answers at once with the job id; \`--follow\` prints the job id, then streams the job's log and progress until it ends (Ctrl+C stops following and prints how to cancel the job, which keeps running); \`--queue\` keeps the job for a node that is not connected (\`--ttl\` seconds) and delivers it when the node connects.

      \`openclaw exec --all|--nodes a,b|--tags comp,gpu|--platform linux|--plugin nuke <plugin.action> [key=value ...]\` runs the action on every connected node that matches all the given criteria (\`POST /api/exec\`): one job per node. It answers once every job is sent; \`--wait\` waits for all of them and exits 1 if any failed.

      \`key=value\` params are typed by the action's params schema: integers and numbers, booleans (\`true/false/1/0/yes/no\`), arrays (a JSON array, comma-separated items, or the key repeated), objects (JSON). \`--params\` takes a JSON object; \`key=value\` pairs override its keys. \`--idempotency-key\` makes a retried command return the original job instead of running again.

      Prints the result as JSON (\`--json\`: the whole response; with \`--follow\`, one JSON line per event, then the job). On failure prints \`CODE: message\` on stderr and exits 1.
    `,
    examples: [
      ['Open a folder on a workstation', '$0 exec ws-042 explorer.open_folder path=/mnt/projects/show/sh010'],
      [
        'A render, following its log and progress',
        '$0 exec ws-042 nuke.render_write script=/show/sh010/comp.nk frame_range=1001-1100 --follow',
      ],
      ['Start without waiting', '$0 exec ws-042 nuke.render_write script=/show/a.nk --no-wait'],
      [
        'For a workstation that is asleep, within a day',
        '$0 exec ws-042 rv.open_sources sources=/show/a.exr --queue --ttl 86400',
      ],
      [
        'Open a folder on every comp workstation',
        '$0 exec --tags comp explorer.open_folder path=/mnt/projects/show',
      ],
      ['On every Linux node, waiting for all', '$0 exec --platform linux --all explorer.ping --wait'],
      [
        'A publish that must not run twice, even when the command is retried',
        '$0 exec ws-042 shotgrid.publish_version project_id=122 entity_id=1183 code=sh010_comp_v003 --idempotency-key sh010-comp-v003',
      ],
      [
        'Params as JSON, a longer timeout, the full response',
        `$0 exec ws-042 nuke.render_write --params '{"script": "/show/a.nk"}' --timeout 3600 --json`,
      ],
    ],
  });

  args = Option.Rest({ name: 'node-id> <plugin.action> <key=value' });
  params = Option.String('--params', {
    description: 'Params as a JSON object (key=value pairs override its keys)',
  });
  timeout = Option.String('--timeout', { description: 'Timeout in seconds (default: the action’s own)' });
  json = Option.Boolean('--json', false, { description: 'Print the whole JSON response' });
  wait = Option.Boolean('--wait', {
    description: 'Wait for the result (default for one node); --no-wait answers with the job at once',
  });
  follow = Option.Boolean('--follow,-f', false, {
    description: 'Stream the job’s log and progress until it ends',
  });
  queue = Option.Boolean('--queue', false, {
    description: 'Keep the job for a node that is not connected and deliver it when it connects',
  });
  ttl = Option.String('--ttl', { description: 'With --queue: seconds the job may wait for its node' });
  idempotencyKey = Option.String('--idempotency-key', {
    description: 'The same key within 24 h returns the original job instead of running again',
  });
  all = Option.Boolean('--all', false, { description: 'Fan out to every connected node' });
  nodes = Option.String('--nodes', { description: 'Fan out to these node ids (comma-separated)' });
  tags = Option.String('--tags', { description: 'Fan out to nodes with all these tags (comma-separated)' });
  platform = Option.String('--platform', { description: 'Fan out to nodes of this platform' });
  plugin = Option.String('--plugin', { description: 'Fan out to nodes that loaded this plugin' });

  async run(): Promise<number> {
    const target = parseTarget(this);
    const [first, second, ...rest] = this.args;
    const [node, action, assignmentArgs] =
      target === undefined
        ? [first, second, rest]
        : [undefined, first, [second, ...rest].filter((a) => a !== undefined)];
    if (target === undefined && (first === undefined || second === undefined)) {
      throw new UsageError(
        'Name a node and an action: openclaw exec <node-id> <plugin.action> [key=value ...], or fan out with --all, --nodes, --tags, --platform or --plugin',
      );
    }
    if (action === undefined) throw new UsageError('Name the action to run: <plugin.action>');
    try {
      parseActionId(action, 'plugin.action');
    } catch (error) {
      throw new UsageError(isOpenClawError(error) ? error.message : String(error));
    }
    if (this.ttl !== undefined && !this.queue) throw new UsageError('--ttl goes with --queue');
    if (this.follow && this.wait === true)
      throw new UsageError('--follow already waits for the end; leave out --wait');
    if (this.follow && target) {
      throw new UsageError(
        '--follow follows one job; for a fan-out use --wait, or openclaw job <id> --follow',
      );
    }
    const assignments = parseAssignments(assignmentArgs);
    const base = this.params === undefined ? {} : parseParamsOption(this.params);
    const client = this.client();
    const schema = assignments.length ? await this.paramsSchema(client, action, node) : undefined;
    const params = { ...base, ...coerceParams(assignments, schema) };
    const body: ExecBody = { action };
    if (Object.keys(params).length) body.params = params;
    if (this.timeout !== undefined) body.timeout = positiveSeconds(this.timeout, '--timeout');
    if (this.queue) body.queue = true;
    if (this.ttl !== undefined) body.ttl = positiveSeconds(this.ttl, '--ttl');
    const options: ExecOptions =
      this.idempotencyKey === undefined ? {} : { idempotencyKey: this.idempotencyKey };
    try {
      return target
        ? await this.fanOut(client, target, body, options)
        : await this.one(client, node!, body, options);
    } catch (error) {
      if (this.json && error instanceof OpenClawApiError) this.out(json(error.body));
      this.context.stderr.write(formatError(error));
      return 1;
    }
  }

  private async one(
    client: OpenClawClient,
    node: string,
    body: ExecBody,
    options: ExecOptions,
  ): Promise<number> {
    if (this.follow || this.wait === false) body.wait = false;
    const response = await client.exec(node, body, options);
    if (response.status === 'success') {
      this.out(json(this.json ? response : response.result));
      return 0;
    }
    if (!this.follow || response.state === 'queued') {
      this.out(this.json ? json(response) : describeAccepted(response));
      return 0;
    }
    const job = await followInterruptible(
      client,
      { commandId: response.command_id, nodeId: response.node_id, serverArgs: this.serverArgs() },
      { write: (text) => this.context.stdout.write(text), json: this.json, tty: this.tty },
      this.context,
    );
    if (job === 'interrupted') return INTERRUPTED_EXIT_CODE;
    if (!this.json && job.state === 'succeeded') this.out(json(job.result));
    if (job.state !== 'succeeded' && job.error)
      this.context.stderr.write(`${job.error.code}: ${job.error.message}\n`);
    return job.state === 'succeeded' ? 0 : 1;
  }

  private async fanOut(
    client: OpenClawClient,
    target: ExecTargetSelector,
    body: ExecBody,
    options: ExecOptions,
  ): Promise<number> {
    const request: FanOutBody = { ...body, target, wait: this.wait === true };
    const response = await client.execMany(request, options);
    this.out(this.json ? json(response) : renderFanOut(response));
    if (this.wait !== true) return 0;
    return response.jobs.every((j) => j.state === 'succeeded') ? 0 : 1;
  }

  private get tty(): boolean {
    return (this.context.stdout as NodeJS.WriteStream).isTTY === true;
  }

  /** The action's params schema: the node's own manifest, or for a fan-out the catalog's newest version. */
  private async paramsSchema(
    client: OpenClawClient,
    actionId: string,
    node: string | undefined,
  ): Promise<JsonSchema | undefined> {
    const { plugin, action } = parseActionId(actionId);
    const fromCatalog = async (): Promise<JsonSchema | undefined> => {
      const entry = await client.plugin(plugin).catch(() => undefined);
      return entry && Object.hasOwn(entry.actions, action) ? entry.actions[action]!.params : undefined;
    };
    if (node === undefined) return fromCatalog();
    // A node that is not connected (a queued job) has no manifest to read: use another node's copy.
    const detail = await client.node(node).catch((error: unknown) => {
      if (this.queue && isOpenClawError(error) && error.code === 'NODE_NOT_FOUND') return undefined;
      throw error;
    });
    if (!detail) return fromCatalog();
    const manifest = detail.manifests.find((m) => m.name === plugin);
    return manifest && Object.hasOwn(manifest.actions, action) ? manifest.actions[action]!.params : undefined;
  }
}

function positiveSeconds(text: string, flag: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${flag} must be a positive number of seconds, got ${JSON.stringify(text)}`);
  }
  return seconds;
}
