import { describeAgentExitCode, NO_RESTART_EXIT_CODES } from '../../service/exit-codes.js';
import type { ServiceStatus } from '../../service/service-status.js';
import { check, type DoctorCheck } from '../doctor-report.js';

/** The per-user service, if installed: running, or why it stopped. */
export async function checkService(status: () => Promise<ServiceStatus>): Promise<DoctorCheck> {
  const title = 'Agent service';
  let current: ServiceStatus;
  try {
    current = await status();
  } catch (error) {
    return check('service', title, 'warn', `could not ask the service manager: ${(error as Error).message}`, {
      fix: 'Run `openclaw agent status` for details.',
    });
  }
  const data: Record<string, unknown> = {
    installed: current.installed,
    running: current.running,
    label: current.label,
    logs: current.logs,
  };
  if (current.pid !== undefined) data.pid = current.pid;
  if (current.lastExitCode !== undefined) data.lastExitCode = current.lastExitCode;
  if (/^cannot ask the service manager/.test(current.detail)) {
    return check('service', title, 'warn', current.detail, {
      fix: 'Run this inside the desktop session as the artist (not through sudo).',
      data,
    });
  }
  if (!current.installed) {
    return check(
      'service',
      title,
      'ok',
      `${current.label} is not installed; \`openclaw agent install\` starts the agent with the desktop session`,
      { data },
    );
  }
  if (current.running) {
    return check(
      'service',
      title,
      'ok',
      `${current.label} is running${current.pid !== undefined ? ` (pid ${current.pid})` : ''}`,
      { data },
    );
  }
  const exit = current.lastExitCode;
  if (exit !== undefined && NO_RESTART_EXIT_CODES.includes(exit)) {
    return check(
      'service',
      title,
      'fail',
      `${current.label} stopped with exit code ${exit}: ${describeAgentExitCode(exit)}`,
      {
        fix: 'Fix what the checks above report, then `openclaw agent service-start`; `openclaw agent logs` shows why it stopped.',
        data,
      },
    );
  }
  return check('service', title, 'warn', `${current.label} is installed but not running: ${current.detail}`, {
    fix: 'Start it with `openclaw agent service-start`; `openclaw agent logs` shows why it stopped.',
    data,
  });
}
