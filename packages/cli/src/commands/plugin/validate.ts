import path from 'node:path';
import { Command, Option } from '../../clipanion.js';
import { json } from '../../render/table.js';
import { EXIT_CODES, OpenClawCommand } from '../openclaw-command.js';

/** `openclaw plugin validate [dir]`: lint a plugin the way an agent loads it, and more. */
export class PluginValidateCommand extends OpenClawCommand {
  static override paths = [['plugin', 'validate']];

  static override usage = Command.Usage({
    category: 'Plugins',
    description: 'Check a plugin before it reaches a workstation',
    details: `
      Loads the plugin in \`dir\` (default: the current folder) as an agent would — a package folder through its package.json \`exports\`/\`main\`, or a \`.js\` file (a \`.ts\` file when tsx is installed) — and checks the manifest schema, plugin and action names, platforms, \`format: "path"\` on params that look like paths, descriptions, closed param objects, result schemas, the SDK major version and package.json. Every message names the file and the field at fault.

      Exits 0 when there is no error (warnings allowed) and 1 when there is one. \`--json\` prints \`{ ok, target, errors, warnings, messages: [{ level, rule, file, field, message }] }\`.

      Validating imports the plugin, so it runs the plugin's top-level code: validate only code you would run.
    `,
    examples: [
      ['Validate the plugin in this folder', '$0 plugin validate'],
      ['Validate a built package', '$0 plugin validate ./openclaw-plugin-houdini'],
      [
        'Only the errors, for CI',
        '$0 plugin validate --json | jq \'.messages[] | select(.level == "error")\'',
      ],
    ],
  });

  dir = Option.String({ required: false, name: 'dir' });
  json = Option.Boolean('--json', false, { description: 'Print the messages as JSON' });

  async run(): Promise<number> {
    const { countLintMessages, formatLintMessages, lintPlugin } =
      await import('@openclaw-node/plugin-sdk/lint');
    const target = path.resolve(this.dir ?? '.');
    const messages = await lintPlugin(target);
    const { errors, warnings } = countLintMessages(messages);
    if (this.json) {
      this.out(json({ ok: errors === 0, target, errors, warnings, messages }));
    } else {
      this.out(formatLintMessages(messages, { color: this.context.colorDepth > 1 }));
    }
    return errors > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
  }
}
