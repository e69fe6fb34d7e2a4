/** The `@openclaw-node/plugin-sdk` release this scaffolder writes plugins for (kept in step by a test). */
export const SDK_PACKAGE_VERSION = '0.1.0';

/** The default dependency range on the SDK: same minor while it is 0.x, same major after. */
export const DEFAULT_SDK_RANGE = `^${SDK_PACKAGE_VERSION}`;
