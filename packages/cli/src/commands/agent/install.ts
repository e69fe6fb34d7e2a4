import type { ServicePlatform, ServiceStep } from '@openclaw-node/agent';
import { docsUrl, isOpenClawError } from '@openclaw-node/core';
import { Command, Option, UsageError } from '../../clipanion.js';
import { AgentServiceCommand } from './service-command.js';

const ENV_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** `openclaw agent install`: run the agent as a per-user service in the artist's desktop session. */
export class AgentInstallCommand extends AgentServiceCommand {
  static override paths = [['agent', 'install']];

  static override usage = Command.Usage({
    category: 'Agent',
    description: 'Install the agent as a per-user service in this desktop session',
    details: `
      Installs the agent so that it starts with the artist's desktop session and restarts after a crash: a \`systemd --user\` unit bound to graphical-session.target on Linux, a LaunchAgent on macOS, a Scheduled Task at logon on Windows. It runs as the logged-in user, in the session, so the windows it opens (RV, Nuke, Explorer) appear on the artist's screen; a system service could not show them.

      The config is checked first: a service that cannot read it would only stop. Run this as the artist, from a terminal inside the desktop session (not through sudo). Installing again replaces the service and restarts the agent.

      \`--dry-run\` prints every file it would write and every command it would run, and changes nothing. See ${docsUrl('service.md')}.
    `,
    examples: [
      ['Install with the default node_config.yaml', '$0 agent install'],
      ['Install with a given config', '$0 agent install --config ~/openclaw/node_config.yaml'],
      ['See what would be written and run', '$0 agent install --dry-run'],
      ['On a desktop without graphical-session.target (Linux)', '$0 agent install --session-target default'],
    ],
  });

  config = Option.String('--config,-c', { description: 'node_config.yaml the service runs with' });
  dryRun = Option.Boolean('--dry-run', false, {
    description: 'Print what would be written and run; change nothing',
  });
  sessionTarget = Option.String('--session-target', {
    description:
      'Linux: graphical-session (default) or default, for desktops without graphical-session.target',
  });
  logDir = Option.String('--log-dir', {
    description: 'Where the agent log goes (default: per OS, journald on Linux)',
  });
  env = Option.Array('--env', [], {
    description: 'NAME=value for the agent environment (repeatable; not for secrets)',
  });

  async run(): Promise<number> {
    const { applyServicePlan, checkServiceConfig, describeServicePlan, displayArgv, serviceStatus } =
      await this.agent();
    const serviceEnv: Record<string, string> = {};
    for (const assignment of this.env) {
      const match = ENV_ASSIGNMENT.exec(assignment);
      if (!match) throw new UsageError(`--env ${JSON.stringify(assignment)}: write NAME=value`);
      serviceEnv[match[1]!] = match[2]!;
    }
    const local = await this.localPlan({
      ...(this.config !== undefined ? { configPath: this.config } : {}),
      ...(this.sessionTarget !== undefined ? { sessionTarget: this.sessionTarget } : {}),
      ...(this.logDir !== undefined ? { logDir: this.logDir } : {}),
      ...(this.env.length > 0 ? { serviceEnv } : {}),
    });
    const { plan } = local;
    const warnings = [...local.warnings];
    if (local.native) {
      try {
        warnings.push(...(await checkServiceConfig(local.configPath, this.context.env)));
      } catch (error) {
        if (!this.dryRun) throw error;
        warnings.push(isOpenClawError(error) ? error.message : String(error));
      }
    }
    this.warn(warnings);
    if (this.dryRun) {
      this.out(describeServicePlan(plan, 'install'));
      return 0;
    }
    this.requireNative(local);
    const run = await this.runner();
    await applyServicePlan(plan, 'install', {
      run,
      onStep: (step) => this.progress(plan.platform, step, displayArgv),
    });
    const status = await serviceStatus(plan, { run });
    this.out(`Installed ${plan.label}: ${status.running ? 'running' : status.detail}.`);
    for (const note of plan.notes) this.out(`- ${note}`);
    return 0;
  }

  private progress(
    platform: ServicePlatform,
    step: ServiceStep,
    displayArgv: (platform: ServicePlatform, argv: readonly string[]) => string,
  ): void {
    if (step.kind === 'write') this.out(`  wrote ${step.file.path}`);
    else if (step.kind === 'run') this.out(`  ran   ${displayArgv(platform, step.argv)}`);
  }
}
