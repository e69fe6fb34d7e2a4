import { docsUrl, type Platform } from '@openclaw-node/core';
import { check, type DoctorCheck } from '../doctor-report.js';

// Plugins that open windows on the artist's screen, so a missing display stops them.
const GUI_PLUGINS = new Set(['explorer', 'rv', 'nuke', 'resolve']);

const INSTALL_FIX = `Run the agent inside the artist's desktop session: \`openclaw agent install\` starts it with the session and gives it DISPLAY, WAYLAND_DISPLAY and the session bus (see ${docsUrl('service.md')}). When you run this check over ssh, it describes the ssh shell only.`;

/** Linux: DISPLAY or WAYLAND_DISPLAY, and the session bus; macOS: not an ssh shell. Null elsewhere. */
export function checkDesktopSession(options: {
  platform: Platform;
  env: NodeJS.ProcessEnv;
  plugins: readonly string[];
}): DoctorCheck | null {
  const { env, platform } = options;
  const title = 'Desktop session';
  if (platform === 'darwin') {
    if (!env.SSH_CONNECTION) return null;
    return check(
      'desktop-session',
      title,
      'warn',
      'this is an ssh shell: windows opened from here would not appear on the screen',
      {
        fix: INSTALL_FIX,
      },
    );
  }
  if (platform !== 'linux') return null;
  const display = env.WAYLAND_DISPLAY
    ? `WAYLAND_DISPLAY=${env.WAYLAND_DISPLAY}`
    : env.DISPLAY
      ? `DISPLAY=${env.DISPLAY}`
      : null;
  const bus = Boolean(env.DBUS_SESSION_BUS_ADDRESS);
  const data = { display: env.DISPLAY ?? null, wayland: env.WAYLAND_DISPLAY ?? null, bus };
  if (!display) {
    const gui = options.plugins.filter((name) => GUI_PLUGINS.has(name));
    return check(
      'desktop-session',
      title,
      gui.length > 0 ? 'fail' : 'warn',
      `neither DISPLAY nor WAYLAND_DISPLAY is set${gui.length > 0 ? `: ${gui.join(', ')} cannot open windows` : ''}${bus ? '' : ', and there is no session bus (DBUS_SESSION_BUS_ADDRESS)'}`,
      { fix: INSTALL_FIX, data },
    );
  }
  if (!bus) {
    return check(
      'desktop-session',
      title,
      'warn',
      `${display}, but DBUS_SESSION_BUS_ADDRESS is not set: file managers reached over D-Bus will not answer`,
      {
        fix: INSTALL_FIX,
        data,
      },
    );
  }
  return check('desktop-session', title, 'ok', `${display}, session bus set`, { data });
}
