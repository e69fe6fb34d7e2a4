import path from 'node:path';
import { agentArgv } from './agent-argv.js';
import { NO_RESTART_EXIT_CODES, SUPERVISOR_ENV } from './exit-codes.js';
import type { ServicePlan } from './service-plan.js';
import type { ResolvedServiceOptions } from './service-options.js';
import { systemdEnvironmentAssignment, systemdExecLine, systemdSpecifierEscape } from './systemd-escape.js';

/** The session variables a desktop app needs, copied into the user manager before every start. */
export const SESSION_ENVIRONMENT = [
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'XAUTHORITY',
  'DBUS_SESSION_BUS_ADDRESS',
  'XDG_RUNTIME_DIR',
  'XDG_CURRENT_DESKTOP',
  'XDG_SESSION_TYPE',
] as const;

/** The text of the `systemd --user` unit. */
export function renderSystemdUnit(options: ResolvedServiceOptions): string {
  const graphical = options.sessionTarget === 'graphical-session';
  const target = graphical ? 'graphical-session.target' : 'default.target';
  const env: Record<string, string> = { ...options.env, [SUPERVISOR_ENV]: 'systemd' };
  const logFile = options.logDir === undefined ? undefined : path.posix.join(options.logDir, 'agent.log');
  return [
    '# Written by `openclaw agent install`; the next install overwrites it.',
    '[Unit]',
    'Description=OpenClaw Node agent (runs pipeline actions in this desktop session)',
    // PartOf: stop with the desktop session, so a logged-out artist leaves no agent behind.
    ...(graphical ? ['PartOf=graphical-session.target', 'After=graphical-session.target'] : []),
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${systemdExecLine(agentArgv(options))}`,
    'WorkingDirectory=%h',
    ...Object.entries(env).map(([name, value]) => `Environment=${systemdEnvironmentAssignment(name, value)}`),
    'Restart=on-failure',
    'RestartSec=5',
    // Exits that a restart cannot fix: bad config, rejected token, replaced by another agent.
    `RestartPreventExitStatus=${NO_RESTART_EXIT_CODES.join(' ')}`,
    // Only the agent stops: RV, Nuke and the other windows it opened stay open.
    'KillMode=process',
    'TimeoutStopSec=15',
    `SyslogIdentifier=${options.label}`,
    ...(logFile === undefined
      ? []
      : [
          `StandardOutput=append:${systemdSpecifierEscape(logFile)}`,
          `StandardError=append:${systemdSpecifierEscape(logFile)}`,
        ]),
    '',
    '[Install]',
    `WantedBy=${target}`,
    '',
  ].join('\n');
}

/** The Linux plan: a unit in ~/.config/systemd/user, managed with `systemctl --user`. */
export function planSystemdService(options: ResolvedServiceOptions): ServicePlan {
  const unit = `${options.label}.service`;
  const definitionPath = path.posix.join(options.home, '.config', 'systemd', 'user', unit);
  const systemctl = ['systemctl', '--user'];
  const importEnvironment = [...systemctl, 'import-environment', ...SESSION_ENVIRONMENT];
  const resetFailed = [...systemctl, 'reset-failed', unit];
  const graphical = options.sessionTarget === 'graphical-session';
  const logs =
    options.logDir === undefined
      ? `journalctl --user -u ${unit} -f`
      : path.posix.join(options.logDir, 'agent.log');
  const notes = [
    graphical
      ? 'The agent starts with your desktop session (graphical-session.target) and stops when you log out.'
      : `The agent starts with your user manager (default.target). Add "systemctl --user import-environment DISPLAY XAUTHORITY WAYLAND_DISPLAY" and "systemctl --user restart ${unit}" to your desktop session's startup so it sees the display.`,
    ...(graphical
      ? [
          'If your desktop does not start graphical-session.target (startx, some XFCE or i3 setups), reinstall with --session-target default.',
        ]
      : []),
    `Logs: ${logs}`,
    `Stopping the agent does not close the applications it opened (KillMode=process).`,
  ];
  return {
    platform: 'linux',
    label: options.label,
    definitionPath,
    logs,
    agentArgv: agentArgv(options),
    files: [{ path: definitionPath, contents: renderSystemdUnit(options), mode: 0o644 }],
    directories: options.logDir === undefined ? [] : [{ path: options.logDir, mode: 0o755 }],
    commands: {
      install: [
        [...systemctl, 'daemon-reload'],
        importEnvironment,
        [...systemctl, 'enable', unit],
        // restart rather than `enable --now`: a reinstall must pick up the new unit file.
        [...systemctl, 'restart', unit],
      ],
      uninstall: [[...systemctl, 'disable', '--now', unit]],
      cleanup: [[...systemctl, 'daemon-reload'], resetFailed],
      start: [importEnvironment, [...systemctl, 'start', unit]],
      stop: [[...systemctl, 'stop', unit]],
      restart: [importEnvironment, [...systemctl, 'restart', unit]],
      status: [
        [
          ...systemctl,
          'show',
          '-p',
          'LoadState,ActiveState,SubState,MainPID,UnitFileState,ExecMainStatus,Result,NRestarts',
          unit,
        ],
      ],
    },
    tolerate: [
      { actions: ['uninstall'], argv: resetFailed, exitCodes: 'any', reason: 'the unit is already unloaded' },
    ],
    notes,
  };
}
