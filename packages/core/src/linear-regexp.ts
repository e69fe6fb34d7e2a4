import { RE2JS } from 're2js';

/** What ajv (and our own walkers) need of a compiled pattern. */
export interface LinearRegExp {
  test(value: string): boolean;
}

/** Why a schema `pattern` cannot run on the linear-time engine; the message says what to change. */
export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
}

// What JavaScript's `.` does not match, and what its `\s` matches (ECMA-262 WhiteSpace and LineTerminator).
// RE2's `.` excludes only \n and its `\s` is ASCII-only: rewritten so a pattern means the same on both.
const JS_DOT = '[^\\n\\r\\u2028\\u2029]';
const JS_SPACE_SET =
  '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/**
 * Rewrite an ECMA-262 pattern (JSON Schema's dialect, `u` flag) into RE2 syntax with the same meaning,
 * or throw PatternSyntaxError for what a linear-time engine cannot do: backreferences and lookaround.
 */
export function toLinearSyntax(pattern: string): string {
  try {
    new RegExp(pattern, 'u'); // parse only: must be a valid JSON Schema (ECMA-262, `u`) pattern first
  } catch (error) {
    throw new PatternSyntaxError(`is not a valid regular expression: ${(error as Error).message}`);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      i += 1;
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) {
        throw new PatternSyntaxError(
          `uses a backreference (\\${next}), which the server's linear-time regex engine does not support`,
        );
      }
      if (next === 's') out += inClass ? JS_SPACE_SET : `[${JS_SPACE_SET}]`;
      else if (next === 'S') {
        if (inClass) {
          throw new PatternSyntaxError(
            'uses \\S inside a character class, which the linear-time regex engine cannot match as JavaScript does: write the class out',
          );
        }
        out += `[^${JS_SPACE_SET}]`;
      } else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A `]` right after `[` or `[^` closes an empty class in JavaScript; RE2 has no empty class.
      continue;
    }
    if (ch === '(' && /^\?(?:=|!|<=|<!)/.test(pattern.slice(i + 1, i + 4))) {
      throw new PatternSyntaxError(
        "uses a lookahead or lookbehind ((?=, (?!, (?<=, (?<!), which the server's linear-time regex engine does not support",
      );
    }
    out += ch === '.' ? JS_DOT : ch;
  }
  return RE2JS.translateRegExp(out);
}

/** Compile a JSON Schema pattern on the linear-time engine (RE2's algorithm, pure JS: re2js). */
export function compileLinearPattern(pattern: string): LinearRegExp & { programSize(): number } {
  const source = toLinearSyntax(pattern);
  try {
    return RE2JS.compile(source);
  } catch (error) {
    throw new PatternSyntaxError(
      `cannot run on the linear-time regex engine: ${(error as Error).message.replace(/^error parsing regexp: /, '')}`,
    );
  }
}

/**
 * ajv's `code.regExp` option: every `pattern`, `patternProperties` key and `propertyNames` pattern a
 * schema compiler meets runs in time linear in the input, so no schema can stall the event loop.
 */
export const linearRegExp = Object.assign((pattern: string): LinearRegExp => compileLinearPattern(pattern), {
  code: 'linearRegExp',
});
