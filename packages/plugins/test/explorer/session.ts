import { vi } from 'vitest';

/** Start from no desktop at all, whatever the machine running the tests has. */
export function clearDesktopEnv(): void {
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS']) vi.stubEnv(name, undefined);
}
