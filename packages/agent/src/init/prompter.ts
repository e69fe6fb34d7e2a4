import type { Readable, Writable } from 'node:stream';
import * as clack from '@clack/prompts';
import { OpenClawError } from '@openclaw-node/core';

/** A choice in a select or multiselect. */
export interface PromptOption<T extends string> {
  value: T;
  label?: string;
  hint?: string;
}

/** A running progress line. */
export interface PromptSpinner {
  start(message: string): void;
  stop(message: string): void;
  error(message: string): void;
}

/** The questions and messages of the first-run wizard; createClackPrompter answers them on a terminal. */
export interface InitPrompter {
  intro(title: string): void;
  outro(message: string): void;
  note(message: string, title?: string): void;
  info(message: string): void;
  success(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  text(options: {
    message: string;
    initialValue?: string;
    placeholder?: string;
    validate?: (value: string) => string | undefined;
  }): Promise<string>;
  /** Masked input; may return '' when `allowEmpty`. */
  password(options: {
    message: string;
    allowEmpty?: boolean;
    validate?: (value: string) => string | undefined;
  }): Promise<string>;
  select<T extends string>(options: {
    message: string;
    options: PromptOption<T>[];
    initialValue?: T;
  }): Promise<T>;
  multiselect<T extends string>(options: {
    message: string;
    options: PromptOption<T>[];
    initialValues: T[];
  }): Promise<T[]>;
  confirm(options: { message: string; initialValue?: boolean }): Promise<boolean>;
  spinner(): PromptSpinner;
}

/**
 * The wizard's prompts with @clack/prompts on `input`/`output` (a terminal, or in-memory streams in
 * tests). Ctrl-C or Escape throws CANCELLED.
 */
export function createClackPrompter(streams: { input: Readable; output: Writable }): InitPrompter {
  const common = { input: streams.input, output: streams.output };
  const answered = <T>(value: T): Exclude<T, symbol> => {
    if (clack.isCancel(value)) {
      clack.cancel('Cancelled: nothing was written.', common);
      throw new OpenClawError('CANCELLED', 'cancelled: nothing was written');
    }
    return value as Exclude<T, symbol>;
  };
  const validator = (validate?: (value: string) => string | undefined) =>
    validate ? { validate: (value: string | undefined) => validate(value ?? '') } : {};
  return {
    intro: (title) => clack.intro(title, common),
    outro: (message) => clack.outro(message, common),
    note: (message, title) => clack.note(message, title, common),
    info: (message) => clack.log.info(message, common),
    success: (message) => clack.log.success(message, common),
    warn: (message) => clack.log.warn(message, common),
    error: (message) => clack.log.error(message, common),
    async text(options) {
      const value = answered(
        await clack.text({
          ...common,
          message: options.message,
          ...(options.initialValue !== undefined ? { initialValue: options.initialValue } : {}),
          ...(options.placeholder !== undefined ? { placeholder: options.placeholder } : {}),
          ...validator(options.validate),
        }),
      );
      return ((value as string | undefined) ?? '').trim();
    },
    async password(options) {
      const value = answered(
        await clack.password({
          ...common,
          message: options.message,
          ...validator(
            options.validate ??
              (options.allowEmpty ? undefined : (v: string) => (v.trim() === '' ? 'required' : undefined)),
          ),
        }),
      );
      return ((value as string | undefined) ?? '').trim();
    },
    async select(options) {
      const choices = options.options as Parameters<typeof clack.select<string>>[0]['options'];
      const value = answered(
        await clack.select<string>({
          ...common,
          message: options.message,
          options: choices,
          ...(options.initialValue !== undefined ? { initialValue: options.initialValue } : {}),
        }),
      );
      return value as (typeof options.options)[number]['value'];
    },
    async multiselect(options) {
      const choices = options.options as Parameters<typeof clack.multiselect<string>>[0]['options'];
      const value = answered(
        await clack.multiselect<string>({
          ...common,
          message: options.message,
          options: choices,
          initialValues: options.initialValues,
          required: false,
        }),
      );
      return value as typeof options.initialValues;
    },
    async confirm(options) {
      return answered(
        await clack.confirm({
          ...common,
          message: options.message,
          initialValue: options.initialValue ?? true,
        }),
      );
    },
    spinner() {
      const spin = clack.spinner(common);
      return { start: (m) => spin.start(m), stop: (m) => spin.stop(m), error: (m) => spin.error(m) };
    },
  };
}
