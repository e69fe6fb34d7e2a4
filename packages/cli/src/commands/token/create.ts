import { isOpenClawError } from '@openclaw-node/core';
import { Command, Option, UsageError } from '../../clipanion.js';
import { OpenClawCommand } from '../openclaw-command.js';
import { importServer } from '../../server-module.js';

const OPTION_OF_FIELD: Record<string, string> = {
  name: '--name',
  roles: '--role',
  nodes: '--nodes',
  actions: '--actions',
};

/** Split repeated and comma-separated values: `--role agent --role viewer`, `--nodes 'ws-*,render-*'`. */
function list(values: readonly string[] | string | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const parts = (Array.isArray(values) ? values : [values])
    .flatMap((v: string) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return parts;
}

/** `openclaw token create`: a new random token and the tokens-file entry (with its hash) that accepts it. */
export class TokenCreateCommand extends OpenClawCommand {
  static override paths = [['token', 'create']];

  static override usage = Command.Usage({
    category: 'Security',
    description: 'Make a new token and the tokens-file entry for it',
    details: `
      Prints a new random token (32 bytes from the system's secure random source, base64url) once, and the entry to paste under \`tokens:\` in the file \`OPENCLAW_TOKENS_FILE\` names. The entry holds only the token's SHA-256, so the file never contains a usable secret; the server reloads the file by itself.

      Roles: \`agent\` (connects a workstation; bind it to its node with \`--nodes\`), \`viewer\` (reads the REST API), \`operator\` (reads and runs actions), \`admin\` (everything). \`--nodes\` and \`--actions\` take globs (\`*\` and \`?\`): \`ws-*\`, \`rv.*\`, \`*.ping\`.

      Store the token where its user needs it (the agent's \`auth_token\`, your CI's secret store): it cannot be shown again.
    `,
    examples: [
      ['A workstation agent', '$0 token create --name ws-042 --role agent --nodes ws-042'],
      [
        'A CI job limited to some nodes and actions',
        "$0 token create --name ci --role operator --nodes 'ws-*' --actions 'explorer.*,rv.*'",
      ],
      ['A read-only dashboard', '$0 token create --name wall --role viewer'],
      [
        'As JSON for a provisioning script',
        '$0 token create --name ws-042 --role agent --nodes ws-042 --json',
      ],
    ],
  });

  name = Option.String('--name', {
    required: true,
    description: 'Names the token in logs and the audit log',
  });
  roles = Option.Array('--role', {
    required: true,
    description: 'agent, viewer, operator or admin (repeat or comma-separate)',
  });
  nodes = Option.String('--nodes', { description: 'Node-id globs, comma-separated (default: every node)' });
  actions = Option.String('--actions', {
    description: 'Action-id globs, comma-separated (default: every action)',
  });
  json = Option.Boolean('--json', false, { description: 'Print { token, entry, yaml } as JSON' });

  async run(): Promise<number> {
    const { createToken } = await importServer();
    const request = {
      name: this.name,
      roles: list(this.roles) ?? [],
      ...(this.nodes === undefined ? {} : { nodes: list(this.nodes)! }),
      ...(this.actions === undefined ? {} : { actions: list(this.actions)! }),
    };
    let made;
    try {
      made = createToken(request);
    } catch (error) {
      if (isOpenClawError(error)) {
        const field = typeof error.details?.field === 'string' ? error.details.field : '';
        const option = OPTION_OF_FIELD[field.replace(/\[\d+\]$/, '')] ?? field;
        throw new UsageError(`${option}: ${error.message.replace(/^\S+ /, '')}`);
      }
      throw error;
    }
    if (made.entry.roles.includes('agent') && made.entry.nodes === undefined) {
      this.context.stderr.write(
        'Warning: this agent token may connect as any node id; bind it to its workstation with --nodes <node-id>.\n',
      );
    }
    if (this.json) {
      this.out(JSON.stringify({ token: made.token, entry: made.entry, yaml: made.yaml }, null, 2));
      return 0;
    }
    this.out(
      [
        'Token (shown only now: store it where it is used, e.g. auth_token in node_config.yaml or a CI secret):',
        '',
        `  ${made.token}`,
        '',
        'Add this entry under `tokens:` in your tokens file (OPENCLAW_TOKENS_FILE); it holds only the',
        "token's SHA-256, and the server picks the change up by itself:",
        '',
        made.yaml.trimEnd(),
      ].join('\n'),
    );
    return 0;
  }
}
