import type { Platform, WhichSpec } from '@openclaw-node/plugin-sdk';
import type { ResolveConfig } from './config.js';

/** Where DaVinci Resolve's executable is installed (APPS.md §4.1). */
const RESOLVE_LOCATIONS: Record<Platform, string[]> = {
  windows: ['C:\\Program Files\\Blackmagic Design\\DaVinci Resolve\\Resolve.exe'],
  darwin: ['/Applications/DaVinci Resolve/DaVinci Resolve.app/Contents/MacOS/Resolve'],
  linux: ['/opt/resolve/bin/resolve', '/home/resolve/bin/resolve'],
};

/** Resolve 21.1+ ships its own interpreter that imports the scripting module with no setup (APPS.md §4.2). */
const RESOLVE_PYTHON_LOCATIONS: Record<Platform, string[]> = {
  windows: ['C:\\Program Files\\Blackmagic Design\\DaVinci Resolve\\ResolvePython\\ResolvePython.exe'],
  darwin: ['/Applications/DaVinci Resolve/DaVinci Resolve.app/Contents/Applications/ResolvePython'],
  linux: ['/opt/resolve/bin/ResolvePython', '/home/resolve/bin/ResolvePython'],
};

/** How to find Resolve itself: config `path`, AGENT_RESOLVE_EXE, install locations, PATH. */
export function resolveAppSpec(platform: Platform, config: ResolveConfig): WhichSpec {
  return {
    names: platform === 'windows' ? ['Resolve.exe'] : ['resolve'],
    ...(config.path ? { configPath: config.path } : {}),
    envVars: ['AGENT_RESOLVE_EXE'],
    locations: RESOLVE_LOCATIONS[platform],
  };
}

/** How to find the bridge's Python: config `python`, AGENT_RESOLVE_PYTHON, ResolvePython, python3 on PATH. */
export function resolvePythonSpec(platform: Platform, config: ResolveConfig): WhichSpec {
  return {
    names: platform === 'windows' ? ['python', 'python3'] : ['python3', 'python'],
    ...(config.python ? { configPath: config.python } : {}),
    envVars: ['AGENT_RESOLVE_PYTHON'],
    locations: RESOLVE_PYTHON_LOCATIONS[platform],
  };
}
