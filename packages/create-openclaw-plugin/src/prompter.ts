import type { Readable, Writable } from 'node:stream';
import * as clack from '@clack/prompts';
import { ScaffoldError } from './errors.js';

/** The questions the scaffolder asks; the default answers through @clack/prompts on the given streams. */
export interface Prompter {
  text(options: {
    message: string;
    placeholder?: string;
    defaultValue?: string;
    validate?: (value: string) => string | undefined;
  }): Promise<string>;
  multiselect<T extends string>(options: {
    message: string;
    options: { value: T; label?: string; hint?: string }[];
    initialValues: T[];
  }): Promise<T[]>;
  confirm(options: { message: string; initialValue?: boolean }): Promise<boolean>;
  intro(title: string): void;
  outro(message: string): void;
}

/** A Prompter on `input`/`output` (the terminal, or in-memory streams in tests). Ctrl-C throws "cancelled". */
export function createClackPrompter(streams: { input: Readable; output: Writable }): Prompter {
  const common = { input: streams.input, output: streams.output };
  const answered = <T>(value: T): Exclude<T, symbol> => {
    if (clack.isCancel(value)) {
      clack.cancel('Cancelled: nothing was written.', common);
      throw new ScaffoldError('prompt', 'cancelled');
    }
    return value as Exclude<T, symbol>;
  };
  return {
    async text(options) {
      return answered(
        await clack.text({
          ...common,
          message: options.message,
          ...(options.placeholder === undefined ? {} : { placeholder: options.placeholder }),
          ...(options.defaultValue === undefined ? {} : { defaultValue: options.defaultValue }),
          ...(options.validate === undefined ? {} : { validate: (value) => options.validate!(value ?? '') }),
        }),
      );
    },
    async multiselect(options) {
      const choices = options.options as unknown as Parameters<
        typeof clack.multiselect<string>
      >[0]['options'];
      const chosen = answered(
        await clack.multiselect<string>({
          ...common,
          message: options.message,
          options: choices,
          initialValues: options.initialValues,
          required: true,
        }),
      );
      return chosen as typeof options.initialValues;
    },
    async confirm(options) {
      return answered(
        await clack.confirm({
          ...common,
          message: options.message,
          initialValue: options.initialValue ?? false,
        }),
      );
    },
    intro: (title) => clack.intro(title, common),
    outro: (message) => clack.outro(message, common),
  };
}
