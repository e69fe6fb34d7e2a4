import { OpenClawError } from './errors.js';
import { compileLinearPattern, PatternSyntaxError } from './linear-regexp.js';

/**
 * What the schemas of one advertised manifest may cost the server to compile and to run, on top of
 * MANIFEST_LIMITS (bytes, actions, depth). Every pattern also runs on the linear-time engine, so these
 * bound compile time and memory, not a backtracking blow-up (which cannot happen).
 */
export const SCHEMA_LIMITS = {
  /** JSON values (objects, arrays, scalars) across all params and result schemas of one manifest. */
  maxSchemaNodes: 5000,
  /** `pattern`s and `patternProperties` keys across one manifest. */
  maxPatterns: 200,
  /** Characters in one pattern. */
  maxPatternLength: 1000,
  /** Instructions of one compiled pattern (RE2 program size: `a{1000}` is 1002). */
  maxPatternProgram: 5000,
  /** `uniqueItems` compares items pairwise: such an array must declare `maxItems` up to this. */
  maxUniqueItems: 1000,
} as const;

// Keywords whose values are data, not schemas: a `pattern` key inside them is not a pattern.
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);
// Keywords whose values map names to schemas: a property named `enum` there is a schema all the same.
const NAMED_SCHEMAS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
]);

/** Counts shared by all schemas of one manifest. */
export interface SchemaBudget {
  nodes: number;
  patterns: number;
}

/**
 * Check one params or result schema against SCHEMA_LIMITS, adding to `budget` (one per manifest).
 * Throws SCHEMA_LIMIT_EXCEEDED (a limit) or MANIFEST_INVALID (a pattern the linear-time engine cannot
 * run as JavaScript would), naming the plugin and the field.
 */
export function checkSchemaCost(schema: unknown, field: string, plugin: string, budget: SchemaBudget): void {
  const over = (at: string, limit: keyof typeof SCHEMA_LIMITS, message: string): never => {
    throw new OpenClawError('SCHEMA_LIMIT_EXCEEDED', `plugin ${plugin}: ${at} ${message}`, {
      details: { plugin, field: at, limit, max: SCHEMA_LIMITS[limit] },
    });
  };
  const checkPattern = (pattern: string, at: string): void => {
    budget.patterns += 1;
    if (budget.patterns > SCHEMA_LIMITS.maxPatterns) {
      over(at, 'maxPatterns', `is one pattern too many: a manifest may hold ${SCHEMA_LIMITS.maxPatterns}`);
    }
    if (pattern.length > SCHEMA_LIMITS.maxPatternLength) {
      over(
        at,
        'maxPatternLength',
        `is ${pattern.length} characters long, over the ${SCHEMA_LIMITS.maxPatternLength}-character limit`,
      );
    }
    let size: number;
    try {
      size = compileLinearPattern(pattern).programSize();
    } catch (error) {
      if (!(error instanceof PatternSyntaxError)) throw error;
      throw new OpenClawError('MANIFEST_INVALID', `plugin ${plugin}: ${at} ${error.message}`, {
        details: { plugin, field: at },
      });
    }
    if (size > SCHEMA_LIMITS.maxPatternProgram) {
      over(
        at,
        'maxPatternProgram',
        `compiles to ${size} instructions, over the limit of ${SCHEMA_LIMITS.maxPatternProgram}: use smaller repeat counts`,
      );
    }
  };
  /** `data`: inside const/enum/…; `named`: an object of name → schema (its keys are no keywords). */
  const visit = (value: unknown, at: string, data: boolean, named = false): void => {
    budget.nodes += 1;
    if (budget.nodes > SCHEMA_LIMITS.maxSchemaNodes) {
      over(
        at,
        'maxSchemaNodes',
        `brings the manifest's schemas over ${SCHEMA_LIMITS.maxSchemaNodes} JSON values: split the plugin or simplify its schemas`,
      );
    }
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${at}[${i}]`, data));
      return;
    }
    const record = value as Record<string, unknown>;
    if (!data && !named) {
      if (typeof record.pattern === 'string') checkPattern(record.pattern, `${at}.pattern`);
      if (isRecord(record.patternProperties)) {
        for (const key of Object.keys(record.patternProperties)) {
          checkPattern(key, `${at}.patternProperties${keyPath(key)}`);
        }
      }
      if (record.uniqueItems === true) {
        const max = record.maxItems;
        if (typeof max !== 'number' || max > SCHEMA_LIMITS.maxUniqueItems) {
          over(
            `${at}.uniqueItems`,
            'maxUniqueItems',
            `needs maxItems of at most ${SCHEMA_LIMITS.maxUniqueItems} beside it (items are compared pairwise)`,
          );
        }
      }
    }
    for (const [key, child] of Object.entries(record)) {
      const keyword = !data && !named;
      visit(
        child,
        `${at}${keyPath(key)}`,
        data || (keyword && DATA_KEYWORDS.has(key)),
        keyword && NAMED_SCHEMAS.has(key),
      );
    }
  };
  visit(schema, field, false);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const keyPath = (key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
