import { describe, expect, it } from 'vitest';
import { defaultConfigPath } from '../../src/index.js';

describe('defaultConfigPath', () => {
  it('uses $XDG_CONFIG_HOME on Linux', () => {
    expect(defaultConfigPath('linux', { XDG_CONFIG_HOME: '/home/ana/.cfg', HOME: '/home/ana' })).toBe(
      '/home/ana/.cfg/openclaw-node/node_config.yaml',
    );
  });

  it('falls back to ~/.config on Linux, ignoring a relative XDG_CONFIG_HOME', () => {
    expect(defaultConfigPath('linux', { HOME: '/home/ana' })).toBe(
      '/home/ana/.config/openclaw-node/node_config.yaml',
    );
    expect(defaultConfigPath('linux', { HOME: '/home/ana', XDG_CONFIG_HOME: 'cfg' })).toBe(
      '/home/ana/.config/openclaw-node/node_config.yaml',
    );
  });

  it('uses Application Support on macOS', () => {
    expect(defaultConfigPath('darwin', { HOME: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support/openclaw-node/node_config.yaml',
    );
  });

  it('uses %APPDATA% on Windows, or the roaming folder of the profile', () => {
    expect(defaultConfigPath('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' })).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\openclaw-node\\node_config.yaml',
    );
    expect(defaultConfigPath('win32', { USERPROFILE: 'D:\\Profiles\\ana' })).toBe(
      'D:\\Profiles\\ana\\AppData\\Roaming\\openclaw-node\\node_config.yaml',
    );
  });
});
