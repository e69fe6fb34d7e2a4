/** The plugin's version, as in package.json (a test keeps them equal). */
export const VERSION = '1.0.0';
