import type * as AgentPackage from '@openclaw-node/agent';
import type {
  CommandRunner,
  LocalServiceOptions,
  LocalServicePlan,
  ServiceStatus,
} from '@openclaw-node/agent';
import { isOpenClawError } from '@openclaw-node/core';
import { Option, UsageError } from '../../clipanion.js';
import { OpenClawCommand } from '../openclaw-command.js';

/**
 * Base of `openclaw agent install|uninstall|status|service-start|service-stop`: the shared flags,
 * the plan for this machine, and the runner for the service manager's commands.
 */
export abstract class AgentServiceCommand extends OpenClawCommand {
  label = Option.String('--label', {
    description: 'Service name: unit (Linux), launchd Label (macOS) or task name (Windows)',
  });
  platform = Option.String('--platform', { hidden: true });

  /** The agent package, loaded on first use so client commands never pay for it. */
  protected agent(): Promise<typeof AgentPackage> {
    return import('@openclaw-node/agent');
  }

  /** The plan for the current user; option mistakes become usage errors. */
  protected async localPlan(extra: LocalServiceOptions = {}): Promise<LocalServicePlan> {
    const { planLocalService } = await this.agent();
    try {
      return await planLocalService({
        env: this.context.env,
        cwd: process.cwd(),
        ...(this.platform !== undefined ? { platform: this.platform } : {}),
        ...(this.label !== undefined ? { label: this.label } : {}),
        ...extra,
      });
    } catch (error) {
      if (isOpenClawError(error) && error.code === 'SERVICE_OPTIONS_INVALID')
        throw new UsageError(error.message);
      throw error;
    }
  }

  /** Refuse to touch this machine with a plan made for another OS (`--platform` is for dry runs). */
  protected requireNative(local: LocalServicePlan): void {
    if (!local.native) {
      throw new UsageError(
        `--platform ${local.plan.platform} plans for another OS: combine it with --dry-run, or run this on a ${local.plan.platform} machine`,
      );
    }
  }

  protected async runner(): Promise<CommandRunner> {
    const { createServiceCommandRunner } = await this.agent();
    return createServiceCommandRunner(this.context.env);
  }

  protected warn(warnings: readonly string[]): void {
    for (const warning of warnings) this.context.stderr.write(`warning: ${warning}\n`);
  }

  /** One line per fact, as `status` prints it. */
  protected renderStatus(status: ServiceStatus): string {
    const running = status.running ? `yes${status.pid !== undefined ? ` (pid ${status.pid})` : ''}` : 'no';
    return [
      `OpenClaw agent service ${status.label} (${status.platform})`,
      `  installed:  ${status.installed ? 'yes' : 'no'}`,
      `  running:    ${running}`,
      `  state:      ${status.detail}`,
      `  definition: ${status.definitionPath}`,
      `  logs:       ${status.logs}`,
    ].join('\n');
  }
}
