/**
 * Text that reaches a terminal from elsewhere (an agent's hostname, tags, descriptions, reasons,
 * progress messages, logs) must not carry escape sequences that clear the screen, move the cursor or
 * forge lines. Escapes are shown, not sent: ESC becomes `\u001b` in plain text.
 */

// C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators and bidi overrides that
// reorder or break what people read.
// eslint-disable-next-line no-control-regex
const UNSAFE_INLINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same, but newlines and tabs are the output's own layout.
// eslint-disable-next-line no-control-regex
const UNSAFE_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const shown = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line of someone else's text: every control character shown as `\uXXXX`, newlines included. */
export function inline(text: string): string {
  return text.replace(UNSAFE_INLINE, shown);
}

/** A block of output about to be written: newlines and tabs kept, every other control shown as `\uXXXX`. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_BLOCK, shown);
}
