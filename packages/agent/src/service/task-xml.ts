import path from 'node:path';
import { OpenClawError } from '@openclaw-node/core';
import { agentArgv } from './agent-argv.js';
import type { ServicePlan } from './service-plan.js';
import type { ResolvedServiceOptions } from './service-options.js';
import { hasWindowsEnvReference, windowsCommandLine, windowsQuoteArg } from './windows-command-line.js';
import { xmlEscape } from './xml-escape.js';

/** Where the agent's log and the task definition live by default (under %LOCALAPPDATA%). */
export function defaultWindowsDataDir(home: string): string {
  return path.win32.join(home, 'AppData', 'Local', 'openclaw-node');
}

function windowsPaths(options: ResolvedServiceOptions): { logDir: string; logFile: string; xmlPath: string } {
  const dataDir = defaultWindowsDataDir(options.home);
  const logDir = options.logDir ?? path.win32.join(dataDir, 'logs');
  return {
    logDir,
    logFile: path.win32.join(logDir, 'agent.log'),
    xmlPath: path.win32.join(dataDir, 'service', `${options.label}.xml`),
  };
}

function windowsArgv(options: ResolvedServiceOptions): string[] {
  // Task Scheduler captures no output, so the agent writes its own log file.
  return agentArgv(options, ['--log-file', windowsPaths(options).logFile]);
}

function rejectEnvReferences(options: ResolvedServiceOptions): void {
  const fields = {
    nodeExecutable: options.nodeExecutable,
    agentEntry: options.agentEntry,
    configPath: options.configPath,
    home: options.home,
    logDir: options.logDir ?? '',
  };
  for (const [field, value] of Object.entries(fields)) {
    if (hasWindowsEnvReference(value)) {
      throw new OpenClawError(
        'SERVICE_OPTIONS_INVALID',
        `${field}: Task Scheduler would expand %NAME% in ${JSON.stringify(value)}, and it cannot be escaped: use the expanded path`,
        { details: { field } },
      );
    }
  }
}

/**
 * The Task Scheduler XML of the per-user logon task. Declared UTF-16: write it as UTF-16LE with a BOM,
 * since `schtasks /Create /XML` rejects a file whose bytes do not match the declaration.
 */
export function renderTaskXml(options: ResolvedServiceOptions): string {
  rejectEnvReferences(options);
  const [command, ...args] = windowsArgv(options) as [string, ...string[]];
  const user = xmlEscape(options.user);
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    '    <Description>OpenClaw Node agent: runs pipeline actions in this desktop session. Written by openclaw agent install.</Description>',
    `    <URI>\\${xmlEscape(options.label)}</URI>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <LogonTrigger>',
    '      <Enabled>true</Enabled>',
    `      <UserId>${user}</UserId>`,
    '    </LogonTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    `      <UserId>${user}</UserId>`,
    // InteractiveToken: run inside the artist's logged-on session, never in session 0.
    '      <LogonType>InteractiveToken</LogonType>',
    '      <RunLevel>LeastPrivilege</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <AllowHardTerminate>true</AllowHardTerminate>',
    '    <StartWhenAvailable>false</StartWhenAvailable>',
    '    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>',
    '    <IdleSettings>',
    '      <StopOnIdleEnd>false</StopOnIdleEnd>',
    '      <RestartOnIdle>false</RestartOnIdle>',
    '    </IdleSettings>',
    '    <AllowStartOnDemand>true</AllowStartOnDemand>',
    '    <Enabled>true</Enabled>',
    '    <Hidden>false</Hidden>',
    '    <RunOnlyIfIdle>false</RunOnlyIfIdle>',
    '    <WakeToRun>false</WakeToRun>',
    '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>',
    // The default 7 is below normal, and RV or Nuke started by the agent would inherit it.
    '    <Priority>4</Priority>',
    '    <RestartOnFailure>',
    '      <Interval>PT1M</Interval>',
    '      <Count>3</Count>',
    '    </RestartOnFailure>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${xmlEscape(windowsQuoteArg(command))}</Command>`,
    `      <Arguments>${xmlEscape(windowsCommandLine(args))}</Arguments>`,
    // Never quoted: Task Scheduler takes the folder verbatim.
    `      <WorkingDirectory>${xmlEscape(options.home)}</WorkingDirectory>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
}

/** The Windows plan: a per-user Scheduled Task that starts the agent at logon, in the artist's session. */
export function planScheduledTask(options: ResolvedServiceOptions): ServicePlan {
  const { logDir, logFile, xmlPath } = windowsPaths(options);
  const task = ['/TN', options.label];
  const end = ['schtasks', '/End', ...task];
  const run = ['schtasks', '/Run', ...task];
  return {
    platform: 'windows',
    label: options.label,
    definitionPath: xmlPath,
    logs: logFile,
    agentArgv: windowsArgv(options),
    files: [{ path: xmlPath, contents: renderTaskXml(options), mode: 0o644, encoding: 'utf16le' }],
    directories: [{ path: logDir, mode: 0o755 }],
    commands: {
      // /End first: with IgnoreNew, /Run would leave an old agent running with the old arguments.
      install: [end, ['schtasks', '/Create', ...task, '/XML', xmlPath, '/F'], run],
      uninstall: [end, ['schtasks', '/Delete', ...task, '/F']],
      cleanup: [],
      start: [run],
      stop: [end],
      restart: [end, run],
      status: [['schtasks', '/Query', ...task, '/V', '/FO', 'LIST']],
    },
    tolerate: [
      {
        actions: ['install', 'uninstall', 'restart'],
        argv: end,
        exitCodes: 'any',
        reason: 'the task was not running or did not exist yet',
      },
    ],
    notes: [
      'The agent starts at your logon, in your desktop session (a Windows service could not show windows: session 0 isolation).',
      `Logs: ${logFile}`,
      'The agent runs in a console window; closing it stops the agent until the next logon or "openclaw agent service-start".',
    ],
  };
}
