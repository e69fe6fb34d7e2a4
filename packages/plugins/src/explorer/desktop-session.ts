import { OpenClawError } from '@openclaw-node/plugin-sdk';

/** What the agent's environment says about the Linux desktop session it runs in. */
export interface DesktopSession {
  /** DISPLAY (X11) or WAYLAND_DISPLAY is set: windows can appear. */
  display: boolean;
  wayland: boolean;
  /** DBUS_SESSION_BUS_ADDRESS is set: the session bus can be asked. */
  bus: boolean;
}

/** Read the session variables of the agent's own environment. */
export function readDesktopSession(env: NodeJS.ProcessEnv = process.env): DesktopSession {
  const wayland = Boolean(env.WAYLAND_DISPLAY);
  return { display: Boolean(env.DISPLAY) || wayland, wayland, bus: Boolean(env.DBUS_SESSION_BUS_ADDRESS) };
}

/** The explanation every NO_DESKTOP_SESSION error carries. */
export const NO_SESSION_HINT =
  'The agent must run inside the artist’s desktop session (started from the desktop’s autostart or a ' +
  'systemd --user service that imports DISPLAY and DBUS_SESSION_BUS_ADDRESS), not as a system service.';

/** The error for a machine where no window can be shown. */
export function noDesktopSession(reason: string, details: Record<string, unknown> = {}): OpenClawError {
  return new OpenClawError('NO_DESKTOP_SESSION', `${reason}. ${NO_SESSION_HINT}`, { details });
}

/** Throw NO_DESKTOP_SESSION when neither a display nor a session bus is available. */
export function assertDesktopSession(session: DesktopSession): void {
  if (!session.display && !session.bus) {
    throw noDesktopSession(
      'No desktop session: DISPLAY, WAYLAND_DISPLAY and DBUS_SESSION_BUS_ADDRESS are all unset',
      {
        session,
      },
    );
  }
}
