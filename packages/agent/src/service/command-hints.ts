import type { CommandResult, ServicePlatform } from './service-plan.js';

const MANAGER: Record<ServicePlatform, string> = {
  linux: 'systemd (systemctl)',
  darwin: 'launchd (launchctl)',
  windows: 'Task Scheduler (schtasks)',
};

/** A sentence telling the user how to fix a failed service command, when the failure is a known one. */
export function hintForFailure(
  platform: ServicePlatform,
  argv: readonly string[],
  result: CommandResult,
): string | undefined {
  const text = `${result.stderr}\n${result.stdout}`;
  if (result.exitCode === 127) {
    return `${argv[0]} was not found: this command needs ${MANAGER[platform]}`;
  }
  if (
    platform === 'linux' &&
    /Failed to connect to bus|DBUS_SESSION_BUS_ADDRESS|XDG_RUNTIME_DIR|No medium found/i.test(text)
  ) {
    return 'no systemd user manager is reachable: run this as the artist inside the desktop session (not through sudo or su), or enable lingering (loginctl enable-linger <user>) for a headless login';
  }
  if (
    platform === 'linux' &&
    /graphical-session\.target/.test(text) &&
    /not found|does not exist/i.test(text)
  ) {
    return 'this systemd has no graphical-session.target: reinstall with --session-target default';
  }
  if (
    platform === 'darwin' &&
    /Could not find domain|Domain does not support|not privileged to set domain/i.test(text)
  ) {
    return "there is no GUI login session for this user: log in at the Mac's screen (a LaunchAgent limited to Aqua needs one); ssh alone is not enough";
  }
  if (platform === 'darwin' && /Service is disabled/i.test(text)) {
    return 'the service was disabled with launchctl disable: reinstall, which enables it again';
  }
  if (platform === 'windows' && /Access is denied/i.test(text)) {
    return 'Task Scheduler denied access: run as the artist (not another account), or ask IT whether creating scheduled tasks is blocked by policy';
  }
  if (platform === 'windows' && /cannot find the file specified|does not exist/i.test(text)) {
    return 'the task does not exist: run openclaw agent install first';
  }
  return undefined;
}
