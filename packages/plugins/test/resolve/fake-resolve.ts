import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fake install's Developer/Scripting folder, holding Modules/DaVinciResolveScript.py. */
export const FAKE_SCRIPT_API = fileURLToPath(new URL('../fixtures/resolve/Scripting', import.meta.url));

/** The real interpreter behind `python3` (not a pyenv shim), so a kill reaches Python itself. */
export const PYTHON = execFileSync('python3', ['-c', 'import sys; sys.stdout.write(sys.executable)'], {
  encoding: 'utf8',
});

export interface FakeProject {
  name: string;
  unique_id?: string;
  current_timeline: string | null;
  current_folder: string;
  timelines: { name: string; clips: string[] }[];
  folders: Record<string, { name: string; parent: string | null; clips: string[] }>;
  clips: Record<string, { name: string; file_path: string; frames?: number }>;
}

export interface FakeState {
  running?: boolean;
  external_scripting?: 'local' | 'network' | 'none';
  product?: string;
  version?: (number | string)[];
  startup_delay?: number;
  pid_file?: string | null;
  legacy_api?: boolean;
  fail_create_timeline?: boolean;
  fail_add_folder?: boolean;
  project: FakeProject | null;
  calls?: { method: string; args: unknown[] }[];
}

/** A fresh project as Resolve opens it: one Master bin, no timelines. */
export function emptyProject(name = 'sh010 conform'): FakeProject {
  return {
    name,
    unique_id: '8f0c6f3e-11aa-4bb2-9f57-5b0a2f1f9d10',
    current_timeline: null,
    current_folder: 'root',
    timelines: [],
    folders: { root: { name: 'Master', parent: null, clips: [] } },
    clips: {},
  };
}

/** A temp "running Resolve": its state file, a fusionscript library and plugin config pointing at them. */
export class FakeResolve {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'fake-resolve-'));
  readonly statePath = path.join(this.dir, 'resolve-state.json');
  readonly libPath = path.join(this.dir, 'fusionscript.so');

  constructor(state: FakeState = { project: emptyProject() }) {
    writeFileSync(this.libPath, 'not really a shared library\n');
    this.write(state);
  }

  write(state: FakeState): void {
    writeFileSync(this.statePath, JSON.stringify(state, null, 1));
  }

  read(): FakeState {
    return JSON.parse(readFileSync(this.statePath, 'utf8')) as FakeState;
  }

  /** Calls the bridge made on the fake's objects, by method name. */
  calls(method: string): unknown[][] {
    return (this.read().calls ?? []).filter((c) => c.method === method).map((c) => c.args);
  }

  /** A plugin_config that points the bridge at this fake. */
  config(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { python: PYTHON, script_api: FAKE_SCRIPT_API, script_lib: this.libPath, ...extra };
  }

  /** The environment the bridge runs with: the fake's state file named. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, FAKE_RESOLVE_STATE: this.statePath, ...extra };
  }

  /** A media file on disk (content irrelevant: the fake checks existence and extension). */
  media(name: string): string {
    const file = path.join(this.dir, name);
    writeFileSync(file, 'media');
    return file;
  }

  /** An executable file standing in for Resolve's binary or a broken Python. */
  executable(name: string, body = '#!/bin/sh\nexit 0\n'): string {
    const file = path.join(this.dir, name);
    writeFileSync(file, body);
    chmodSync(file, 0o755);
    return file;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
