import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOpenClawError } from '@openclaw-node/core';
import {
  planServiceInstall,
  windowsCommandLine,
  windowsQuoteArg,
  writeServiceFile,
} from '../../src/service/index.js';
import { awkwardOptions, hasPython, parseWindowsCommandLine, python } from './helpers.js';

// ElementTree reads the bytes, so the BOM and the UTF-16 declaration are checked too.
const PARSE_TASK = `
import json, sys, xml.etree.ElementTree as ET
ns = {'t': 'http://schemas.microsoft.com/windows/2004/02/mit/task'}
root = ET.fromstring(sys.stdin.buffer.read())
def text(path):
    node = root.find(path, ns)
    return None if node is None else node.text
print(json.dumps({
  'tag': root.tag, 'version': root.get('version'),
  'uri': text('t:RegistrationInfo/t:URI'),
  'triggerUser': text('t:Triggers/t:LogonTrigger/t:UserId'),
  'principalUser': text('t:Principals/t:Principal/t:UserId'),
  'logonType': text('t:Principals/t:Principal/t:LogonType'),
  'runLevel': text('t:Principals/t:Principal/t:RunLevel'),
  'instances': text('t:Settings/t:MultipleInstancesPolicy'),
  'limit': text('t:Settings/t:ExecutionTimeLimit'),
  'hidden': text('t:Settings/t:Hidden'),
  'restartInterval': text('t:Settings/t:RestartOnFailure/t:Interval'),
  'restartCount': text('t:Settings/t:RestartOnFailure/t:Count'),
  'priority': text('t:Settings/t:Priority'),
  'command': text('t:Actions/t:Exec/t:Command'),
  'arguments': text('t:Actions/t:Exec/t:Arguments'),
  'workingDirectory': text('t:Actions/t:Exec/t:WorkingDirectory'),
}))
`;

describe('the Windows logon task', () => {
  const plan = planServiceInstall(awkwardOptions('windows'));
  const file = plan.files[0]!;
  let dir: string;
  let pythonMissing: string | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-task-'));
    if (!(await hasPython())) pythonMissing = 'python3 (xml.etree) is not installed';
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('declares UTF-16 and is written as UTF-16LE with a byte-order mark', async () => {
    expect(file.contents.startsWith('<?xml version="1.0" encoding="UTF-16"?>\r\n')).toBe(true);
    expect(file.encoding).toBe('utf16le');
    const target = path.join(dir, 'sub dir', 'task.xml');
    await writeServiceFile({ ...file, path: target });
    const bytes = await readFile(target);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toBe(file.contents);
  });

  it('is well-formed and holds the logon trigger, principal and settings', async (context) => {
    if (pythonMissing) context.skip(pythonMissing);
    const target = path.join(dir, 'task.xml');
    await writeServiceFile({ ...file, path: target });
    const parsed = (await python(PARSE_TASK, await readFile(target))) as Record<string, string>;
    expect(parsed).toEqual({
      tag: '{http://schemas.microsoft.com/windows/2004/02/mit/task}Task',
      version: '1.2',
      uri: '\\OpenClaw Agent',
      triggerUser: 'STUDIO\\ana',
      principalUser: 'STUDIO\\ana',
      logonType: 'InteractiveToken',
      runLevel: 'LeastPrivilege',
      instances: 'IgnoreNew',
      limit: 'PT0S',
      hidden: 'false',
      restartInterval: 'PT1M',
      restartCount: '3',
      priority: '4',
      command: '"C:\\Program Files\\nodejs\\node.exe"',
      arguments:
        '"C:\\Program Files\\OpenClaw & Co\\agent\\dist\\bin.js" --config "C:\\Users\\ana\\100% <cfg> \\"x\\"\\node_config.yaml"' +
        ' --log-file C:\\Users\\ana\\AppData\\Local\\openclaw-node\\logs\\agent.log',
      workingDirectory: 'C:\\Users\\ana',
    });
  });

  it('quotes arguments so node.exe splits them back exactly', () => {
    const exec = /<Arguments>(.*)<\/Arguments>/.exec(file.contents)![1]!;
    const unescaped = exec.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(parseWindowsCommandLine(unescaped)).toEqual(plan.agentArgv.slice(1));
    expect(file.contents).toContain('<Arguments>"C:\\Program Files\\OpenClaw &amp; Co\\agent\\dist\\bin.js"');
    expect(file.contents).toContain('100% &lt;cfg&gt;');
  });

  it.each([
    ['plain', 'C:\\x\\y'],
    ['empty', ''],
    ['space', 'a b'],
    ['quote', 'say "hi"'],
    ['trailing backslash', 'C:\\Program Files\\'],
    ['backslashes before a quote', 'a\\\\"b'],
    ['only backslashes', '\\\\'],
    ['tab', 'a\tb'],
  ])('round-trips an argument with %s through Windows argv rules', (_name, arg) => {
    const line = windowsCommandLine([arg, 'next']);
    expect(parseWindowsCommandLine(line)).toEqual([arg, 'next']);
  });

  it('leaves simple arguments unquoted', () => {
    expect(windowsQuoteArg('--config')).toBe('--config');
    expect(windowsQuoteArg('C:\\Program Files\\')).toBe('"C:\\Program Files\\\\"');
  });

  it('runs through schtasks with argv arrays', () => {
    const task = ['/TN', 'OpenClaw Agent'];
    expect(plan.commands.install).toEqual([
      ['schtasks', '/End', ...task],
      ['schtasks', '/Create', ...task, '/XML', plan.definitionPath, '/F'],
      ['schtasks', '/Run', ...task],
    ]);
    expect(plan.commands.uninstall).toEqual([
      ['schtasks', '/End', ...task],
      ['schtasks', '/Delete', ...task, '/F'],
    ]);
    expect(plan.commands.start).toEqual([['schtasks', '/Run', ...task]]);
    expect(plan.commands.stop).toEqual([['schtasks', '/End', ...task]]);
    expect(plan.commands.status).toEqual([['schtasks', '/Query', ...task, '/V', '/FO', 'LIST']]);
    expect(plan.definitionPath).toBe(
      'C:\\Users\\ana\\AppData\\Local\\openclaw-node\\service\\OpenClaw Agent.xml',
    );
  });

  it('refuses a path Task Scheduler would expand as %VARIABLE%', () => {
    let caught: unknown;
    try {
      planServiceInstall({
        ...awkwardOptions('windows'),
        configPath: 'C:\\cfg\\%USERNAME%\\node_config.yaml',
      });
    } catch (error) {
      caught = error;
    }
    expect(isOpenClawError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'SERVICE_OPTIONS_INVALID', details: { field: 'configPath' } });
  });

  it('refuses environment variables, which a task cannot set', () => {
    expect(() =>
      planServiceInstall({ ...awkwardOptions('windows'), env: { OPENCLAW_LOG_LEVEL: 'debug' } }),
    ).toThrow(/setx/);
  });
});
