/** The plugin SDK's version; plugins record it, the agent checks it is compatible (same major). */
export const SDK_VERSION = '1.0.0';
