import { beforeAll, describe, expect, it } from 'vitest';
import { planServiceInstall, renderPlist } from '../../src/service/index.js';
import { awkwardOptions, hasPython, python } from './helpers.js';

const PARSE_PLIST =
  'import json, plistlib, sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read(), fmt=plistlib.FMT_XML)))';

describe('the macOS LaunchAgent', () => {
  const options = awkwardOptions('darwin');
  const plan = planServiceInstall(options);
  const plist = plan.files[0]!.contents;
  let pythonMissing: string | undefined;

  beforeAll(async () => {
    if (!(await hasPython())) pythonMissing = 'python3 (plistlib) is not installed';
  });

  it('is a LaunchAgent in ~/Library/LaunchAgents named after its label', () => {
    expect(plan.definitionPath).toBe('/Users/ana/Library/LaunchAgents/com.openclaw.agent.plist');
    expect(plan.files[0]!.mode).toBe(0o644);
    expect(plist).toContain('<key>Label</key>\n\t<string>com.openclaw.agent</string>');
  });

  it('escapes &, < and > in paths', () => {
    expect(plist).toContain(
      '\t\t<string>/Users/ana/100% &lt;cfg&gt; &amp; "x" $HOME\\/node_config.yaml</string>',
    );
    expect(plist).not.toMatch(/<cfg>|& "/);
  });

  it('parses back with plistlib to exactly the planned values', async (context) => {
    if (pythonMissing) context.skip(pythonMissing);
    const parsed = await python(PARSE_PLIST, plist);
    expect(parsed).toEqual({
      Label: 'com.openclaw.agent',
      ProgramArguments: [
        '/opt/node 20/bin/node',
        '/opt/open claw/agent/dist/bin.js',
        '--config',
        '/Users/ana/100% <cfg> & "x" $HOME\\/node_config.yaml',
      ],
      WorkingDirectory: '/Users/ana',
      EnvironmentVariables: {
        PATH: '/opt/node 20/bin:/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
        OPENCLAW_LOG_LEVEL: 'debug',
        OPENCLAW_AGENT_SUPERVISOR: 'launchd',
      },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 10,
      LimitLoadToSessionType: 'Aqua',
      AbandonProcessGroup: true,
      StandardOutPath: '/Users/ana/Library/Logs/openclaw-node/agent.log',
      StandardErrorPath: '/Users/ana/Library/Logs/openclaw-node/agent.log',
    });
  });

  it('round-trips every value type through plistlib', async (context) => {
    if (pythonMissing) context.skip(pythonMissing);
    const value = { a: ['x', 1, true, false, { 'k&<>': 'v&<>"\'' }], empty: [], nested: {} };
    expect(await python(PARSE_PLIST, renderPlist(value))).toEqual(value);
  });

  it('loads into the gui/<uid> domain with launchctl bootstrap', () => {
    const target = 'gui/501/com.openclaw.agent';
    expect(plan.commands.install).toEqual([
      ['launchctl', 'bootout', target],
      ['launchctl', 'enable', target],
      ['launchctl', 'bootstrap', 'gui/501', plan.definitionPath],
    ]);
    expect(plan.commands.uninstall).toEqual([['launchctl', 'bootout', target]]);
    expect(plan.commands.start).toEqual([
      ['launchctl', 'bootstrap', 'gui/501', plan.definitionPath],
      ['launchctl', 'kickstart', target],
    ]);
    expect(plan.commands.restart).toEqual([['launchctl', 'kickstart', '-k', target]]);
    expect(plan.commands.stop).toEqual([['launchctl', 'bootout', target]]);
    expect(plan.commands.status).toEqual([['launchctl', 'print', target]]);
  });

  it('expects bootout of an unloaded agent to fail only where that is harmless', () => {
    const bootout = plan.tolerate.find((entry) => entry.argv[1] === 'bootout')!;
    expect(bootout.actions).toEqual(['install', 'uninstall', 'stop']);
    expect(bootout.exitCodes).toEqual([3, 113]);
    const bootstrap = plan.tolerate.find((entry) => entry.argv[1] === 'bootstrap')!;
    expect(bootstrap.actions).toEqual(['start']);
  });

  it('creates the log folder and honours logDir and label', () => {
    expect(plan.directories).toEqual([{ path: '/Users/ana/Library/Logs/openclaw-node', mode: 0o755 }]);
    const custom = planServiceInstall({
      ...options,
      logDir: '/Volumes/logs/ws 42',
      label: 'studio.openclaw.agent',
    });
    expect(custom.definitionPath).toBe('/Users/ana/Library/LaunchAgents/studio.openclaw.agent.plist');
    expect(custom.files[0]!.contents).toContain('<string>/Volumes/logs/ws 42/agent.log</string>');
    expect(custom.commands.status).toEqual([['launchctl', 'print', 'gui/501/studio.openclaw.agent']]);
  });
});
