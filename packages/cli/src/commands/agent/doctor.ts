import { Command, Option, UsageError } from '../../clipanion.js';
import { json } from '../../render/table.js';
import { EXIT_CODES, OpenClawCommand } from '../openclaw-command.js';

/** `openclaw agent doctor`: check everything the agent needs on this workstation, with a fix for each problem. */
export class AgentDoctorCommand extends OpenClawCommand {
  static override paths = [['agent', 'doctor']];

  static override usage = Command.Usage({
    category: 'Agent',
    description: 'Check the agent setup on this workstation',
    details: `
      Checks that node_config.yaml is valid, that the server answers (with its latency), that it accepts the token at the agent handshake (without registering, so a running agent is not disturbed), that each enabled plugin finds its application (path and version), that the allowed paths exist and can be read, that there is a desktop session (Linux), the agent service if installed, and the log folder. Each problem comes with a fix.

      Exits 0 when nothing failed (warnings allowed) and 1 when any check failed. \`--json\` prints \`{ ok, config, checks: [{ id, title, status, detail, fix?, data? }] }\`.
    `,
    examples: [
      ['Check this workstation', '$0 agent doctor'],
      ['Check another config, as JSON', '$0 agent doctor --config ./node_config.yaml --json'],
    ],
  });

  config = Option.String('--config,-c', {
    description: 'node_config.yaml to check (default: where the agent looks)',
  });
  json = Option.Boolean('--json', false, { description: 'Print the report as JSON' });
  timeout = Option.String('--timeout', { description: 'Deadline of the server checks in ms (default 5000)' });

  async run(): Promise<number> {
    const { renderDoctorReport, runDoctor } = await import('@openclaw-node/agent');
    let timeoutMs: number | undefined;
    if (this.timeout !== undefined) {
      timeoutMs = Number(this.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
        throw new UsageError(
          `--timeout must be a number of milliseconds between 100 and 120000, got "${this.timeout}"`,
        );
      }
    }
    const report = await runDoctor({
      env: this.context.env,
      cwd: process.cwd(),
      ...(this.config !== undefined ? { configPath: this.config } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    if (this.json) this.context.stdout.write(json(report));
    else this.context.stdout.write(renderDoctorReport(report, { colors: this.context.colorDepth > 1 }));
    return report.ok ? EXIT_CODES.ok : EXIT_CODES.failed;
  }
}
