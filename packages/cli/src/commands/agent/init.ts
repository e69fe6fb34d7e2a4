import type { AgentInitResult } from '@openclaw-node/agent';
import { isOpenClawError } from '@openclaw-node/core';
import { Command, Option, UsageError } from '../../clipanion.js';
import { json } from '../../render/table.js';
import { OpenClawCommand } from '../openclaw-command.js';

type Terminal = { isTTY?: boolean };

/** `openclaw agent init`: the first-run wizard, or a non-interactive setup for mass deployment. */
export class AgentInitCommand extends OpenClawCommand {
  static override paths = [['agent', 'init']];

  static override usage = Command.Usage({
    category: 'Agent',
    description: "Write this workstation's node_config.yaml (first-run wizard)",
    details: `
      Asks for the node id (default: the host name), the server address, the token, the plugins (those whose application is found here are pre-selected, with its path and version) and the folders actions may use. An existing config provides the defaults, and only what changed is rewritten: its comments and other settings stay.

      Before anything is written, the server's health route and the agent handshake with the token are tested (\`--no-verify\` skips this). The file is written with mode 600, since it holds the token: by default to the per-user location the agent reads (\`--config\` for another).

      With \`--yes\`, or when stdin is not a terminal, nothing is asked: flags, then the existing file, then the defaults decide, and plugins default to those whose application is found. An existing file is then only replaced with \`--force\`; a plugin name one typo away from a built-in (\`rvv\`) and an allowed path that does not exist here are refused (\`--keep-missing-paths\` writes such a path anyway; the wizard asks instead). The token may come from \`OPENCLAW_NODE_TOKEN\` instead of \`--token\` (flags show up in \`ps\`); \`--token '\${OPENCLAW_NODE_TOKEN}'\` writes a reference the agent reads from its environment.
    `,
    examples: [
      ['Run the wizard', '$0 agent init'],
      [
        'Set up a workstation non-interactively',
        'OPENCLAW_NODE_TOKEN=s3cret $0 agent init --server ws://pipeline:8765/ws --plugins explorer,rv --allowed-path /mnt/projects --yes',
      ],
      [
        'Change only the server of an existing config',
        '$0 agent init --server wss://openclaw.studio.com/ws --yes --force',
      ],
    ],
  });

  config = Option.String('--config,-c', {
    description: 'The file to write (default: the per-user node_config.yaml)',
  });
  server = Option.String('--server', { description: 'Server address, e.g. ws://pipeline-server:8765/ws' });
  token = Option.String('--token', {
    description: 'Agent token (default: $OPENCLAW_NODE_TOKEN, else asked)',
  });
  nodeId = Option.String('--node-id', { description: 'Node id (default: the host name)' });
  plugins = Option.String('--plugins', {
    description: 'Comma-separated plugins (default: those whose app is found)',
  });
  allowedPaths = Option.Array('--allowed-path', {
    description: 'A folder actions may use (repeatable)',
  });
  yes = Option.Boolean('--yes,-y', false, {
    description: 'Ask nothing: use flags, the existing file and defaults',
  });
  force = Option.Boolean('--force', false, { description: 'Without questions: replace an existing file' });
  keepMissingPaths = Option.Boolean('--keep-missing-paths', false, {
    description: 'Without questions: write allowed paths that do not exist here yet',
  });
  verify = Option.Boolean('--verify', true, {
    description: 'Test the server and the token before writing (--no-verify skips it)',
  });
  timeout = Option.String('--timeout', { description: 'Connection test deadline in ms (default 5000)' });
  json = Option.Boolean('--json', false, { description: 'Print what was written as JSON (implies --yes)' });

  async run(): Promise<number> {
    const { createClackPrompter, describeConnection, nextSteps, runAgentInit, splitList } =
      await import('@openclaw-node/agent');
    const { stdin, stdout, env } = this.context;
    const terminal = (stdin as Terminal).isTTY === true && (stdout as Terminal).isTTY === true;
    const interactive = terminal && !this.yes && !this.json;
    const token = this.token ?? (env.OPENCLAW_NODE_TOKEN || undefined);
    let result: AgentInitResult;
    try {
      result = await runAgentInit({
        env,
        cwd: process.cwd(),
        ...(this.config !== undefined ? { configPath: this.config } : {}),
        ...(this.server !== undefined ? { server: this.server } : {}),
        ...(token !== undefined ? { token } : {}),
        ...(this.nodeId !== undefined ? { nodeId: this.nodeId } : {}),
        ...(this.plugins !== undefined ? { plugins: splitList(this.plugins) } : {}),
        ...(this.allowedPaths !== undefined ? { allowedPaths: this.allowedPaths } : {}),
        ...(interactive ? { prompter: createClackPrompter({ input: stdin, output: stdout }) } : {}),
        force: this.force,
        keepMissingPaths: this.keepMissingPaths,
        verify: this.verify,
        ...(this.timeout !== undefined ? { timeoutMs: parseTimeout(this.timeout) } : {}),
      });
    } catch (error) {
      // A missing or malformed flag is the user's mistake: show it with the usage.
      if (
        isOpenClawError(error) &&
        typeof error.details?.flag === 'string' &&
        error.code !== 'CONFIG_EXISTS'
      ) {
        const hint =
          !interactive && !this.yes && !this.json ? ' (stdin is not a terminal, so nothing was asked)' : '';
        throw new UsageError(`${error.message}${hint}`);
      }
      throw error;
    }
    if (interactive) return 0;
    if (this.json) {
      this.out(json(publicResult(result)));
      return 0;
    }
    if (result.connection)
      this.out(`Connection: ${describeConnection(result.connection, result.values.node_id)}`);
    else if (!this.verify) this.out('Connection: not tested (--no-verify)');
    this.out(`Plugins: ${describePlugins(result) || '(none)'}`);
    this.out(`Allowed paths: ${result.values.allowed_paths.join(', ') || '(none)'}`);
    for (const warning of result.warnings) this.context.stderr.write(`warning: ${warning}\n`);
    this.out(nextSteps(result.file, !result.created, this.config !== undefined));
    return 0;
  }
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 100 || ms > 120_000) {
    throw new UsageError(`--timeout must be a number of milliseconds between 100 and 120000, got "${value}"`);
  }
  return ms;
}

function describePlugins(result: AgentInitResult): string {
  return result.values.plugins
    .map((name) => {
      const app = result.apps?.find((a) => a.entry === name)?.app;
      return app ? `${name} (${app.path}${app.version ? ` ${app.version}` : ''})` : name;
    })
    .join(', ');
}

/** The result without the token itself (a `${VAR}` reference is shown). */
function publicResult(result: AgentInitResult): unknown {
  const token = result.values.auth_token;
  return {
    ...result,
    values: { ...result.values, auth_token: token.startsWith('${') ? token : '[redacted]' },
  };
}
