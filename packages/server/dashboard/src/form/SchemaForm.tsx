import { useEffect, useId, useState } from 'preact/hooks';
import { plain } from '../format.js';
import { childPath, kindOf, labelOf, type FieldSchema } from './schema.js';

/** Field path (as the server names it in `details.field`) → message. */
export type FieldErrors = ReadonlyMap<string, string>;

interface ObjectProps {
  schema: FieldSchema;
  path: string;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  errors: FieldErrors;
  /** Shown under format: "path" fields (and lists of paths), at any depth. */
  pathHint?: string;
}

/**
 * A form generated from an action's params schema: required fields, enums, numbers, booleans, lists
 * of strings or numbers, choices, nested objects; anything else as a JSON field. No client-side
 * validation beyond types: the server's answer (INVALID_PARAMS with details.field) is shown on the
 * field it names. Every label, description and enum value is the agent's text, rendered as text.
 */
export function SchemaFields({ schema, path, value, onChange, errors, pathHint }: ObjectProps) {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return <p class="muted">This action takes no parameters.</p>;
  return (
    <>
      {properties.map(([name, field]) => (
        <Field
          key={name}
          name={name}
          schema={field}
          path={childPath(path, name)}
          required={required.has(name)}
          value={value[name]}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[name];
            else copy[name] = next;
            onChange(copy);
          }}
          errors={errors}
          {...(pathHint ? { pathHint } : {})}
        />
      ))}
    </>
  );
}

interface FieldProps {
  name: string;
  schema: FieldSchema;
  path: string;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
  errors: FieldErrors;
  pathHint?: string;
}

/** The server's message for this field, or for an item of it (`params.list[2]`). */
function errorFor(errors: FieldErrors, path: string): string | undefined {
  for (const [field, message] of errors) if (field === path || field.startsWith(`${path}[`)) return message;
  return undefined;
}

function Field(props: FieldProps) {
  const { name, schema, path, required, value, onChange, errors } = props;
  const id = useId();
  const kind = kindOf(schema);
  const label = plain(labelOf(name, schema));
  const error = errorFor(errors, path);
  const hints: string[] = [];
  if (typeof schema.description === 'string') hints.push(plain(schema.description));
  if (schema.format === 'path' || (kind === 'list' && schema.items?.format === 'path')) {
    hints.push(props.pathHint ?? 'An absolute path; the agent allows only paths under its allowed_paths.');
  }
  if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number') {
    hints.push(`${schema.minimum ?? '…'} to ${schema.maximum ?? '…'}`);
  }
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [hints.length ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: path,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    'aria-required': required || undefined,
  };

  if (kind === 'object') {
    return (
      <fieldset class={`field object${error ? ' has-error' : ''}`} aria-describedby={describedBy}>
        <legend>
          {label}
          {required ? <Req /> : null}
        </legend>
        {hints.length ? (
          <p id={hintId} class="hint">
            {hints.join(' · ')}
          </p>
        ) : null}
        {error ? <FieldError id={errorId} message={error} /> : null}
        <SchemaFields
          schema={schema}
          path={path}
          value={isRecord(value) ? value : {}}
          onChange={(next) => onChange(Object.keys(next).length ? next : undefined)}
          errors={errors}
          {...(props.pathHint ? { pathHint: props.pathHint } : {})}
        />
      </fieldset>
    );
  }

  if (kind === 'choices') {
    const options = schema.items!.enum!;
    const chosen: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
    return (
      <fieldset class={`field${error ? ' has-error' : ''}`} aria-describedby={describedBy}>
        <legend>
          {label}
          {required ? <Req /> : null}
        </legend>
        {options.map((option, i) => {
          const on = chosen.some((c) => JSON.stringify(c) === JSON.stringify(option));
          return (
            <label class="check" key={i}>
              <input
                type="checkbox"
                checked={on}
                onChange={(e) => {
                  const next = e.currentTarget.checked
                    ? [...chosen, option]
                    : chosen.filter((c) => JSON.stringify(c) !== JSON.stringify(option));
                  onChange(next.length ? next : undefined);
                }}
              />
              {plain(typeof option === 'string' ? option : JSON.stringify(option))}
            </label>
          );
        })}
        {hints.length ? (
          <p id={hintId} class="hint">
            {hints.join(' · ')}
          </p>
        ) : null}
        {error ? <FieldError id={errorId} message={error} /> : null}
      </fieldset>
    );
  }

  let control;
  switch (kind) {
    case 'enum': {
      const options = schema.enum!;
      const index = options.findIndex((o) => JSON.stringify(o) === JSON.stringify(value));
      control = (
        <select
          {...common}
          value={index < 0 ? '' : String(index)}
          onChange={(e) => {
            const v = e.currentTarget.value;
            onChange(v === '' ? undefined : options[Number(v)]);
          }}
        >
          <option value="">{required ? 'choose…' : '(not set)'}</option>
          {options.map((option, i) => (
            <option key={i} value={String(i)}>
              {plain(typeof option === 'string' ? option : JSON.stringify(option))}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'boolean':
      return (
        <div class={`field${error ? ' has-error' : ''}`}>
          <label class="check" for={id}>
            <input
              {...common}
              type="checkbox"
              checked={value === true}
              onChange={(e) => onChange(e.currentTarget.checked)}
            />
            {label}
            {required ? <Req /> : null}
          </label>
          {hints.length ? (
            <p id={hintId} class="hint">
              {hints.join(' · ')}
            </p>
          ) : null}
          {error ? <FieldError id={errorId} message={error} /> : null}
        </div>
      );
    case 'integer':
    case 'number':
      control = (
        <NumberInput
          common={common}
          schema={schema}
          integer={kind === 'integer'}
          value={typeof value === 'number' ? value : undefined}
          onChange={onChange}
        />
      );
      break;
    case 'string': {
      const text = {
        ...common,
        autocomplete: 'off',
        spellcheck: false,
        placeholder: schema.format === 'path' ? '/absolute/path' : undefined,
        maxLength: typeof schema.maxLength === 'number' ? schema.maxLength : undefined,
        value: typeof value === 'string' ? value : '',
        onInput: (e: Event) => {
          const typed = (e.currentTarget as HTMLInputElement).value;
          onChange(typed === '' ? undefined : typed);
        },
      };
      // Secrets (writeOnly) are typed unseen; the server redacts them in the job record.
      control =
        schema.writeOnly || schema.secret ? (
          <input {...text} type="password" />
        ) : (
          <input {...text} type="text" />
        );
      break;
    }
    case 'list':
      control = (
        <ListInput
          common={common}
          numeric={kindOf(schema.items) !== 'string'}
          value={Array.isArray(value) ? value : []}
          onChange={onChange}
        />
      );
      hints.push('One item per line.');
      break;
    case 'json':
      control = <JsonInput common={common} value={value} onChange={onChange} />;
      hints.push('JSON.');
      break;
  }
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>
        {label}
        {required ? <Req /> : null}
      </label>
      {control}
      {hints.length ? (
        <p id={hintId} class="hint">
          {hints.join(' · ')}
        </p>
      ) : null}
      {error ? <FieldError id={errorId} message={error} /> : null}
    </div>
  );
}

type Common = Record<string, unknown>;

function NumberInput(props: {
  common: Common;
  schema: FieldSchema;
  integer: boolean;
  value: number | undefined;
  onChange: (value: unknown) => void;
}) {
  const [text, setText] = useState(props.value === undefined ? '' : String(props.value));
  // A value set from outside (the schema's default) shows; what is being typed is left alone.
  useEffect(() => {
    const shown = text === '' ? undefined : Number(text);
    if (props.value !== shown && typeof props.value === 'number') setText(String(props.value));
    if (props.value === undefined && text !== '' && Number.isFinite(Number(text))) setText('');
  }, [props.value]);
  return (
    <input
      {...props.common}
      type="number"
      inputMode={props.integer ? 'numeric' : 'decimal'}
      step={props.integer ? 1 : 'any'}
      value={text}
      onInput={(e) => {
        const raw = e.currentTarget.value;
        setText(raw);
        const parsed = Number(raw);
        // A value the browser cannot parse is sent as typed: the server names the field.
        props.onChange(raw === '' ? undefined : Number.isFinite(parsed) ? parsed : raw);
      }}
    />
  );
}

function ListInput(props: {
  common: Common;
  numeric: boolean;
  value: unknown[];
  onChange: (value: unknown) => void;
}) {
  const [text, setText] = useState(props.value.map((v) => String(v)).join('\n'));
  useEffect(() => {
    const typed = text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (typed.join('\n') !== props.value.map(String).join('\n')) setText(props.value.map(String).join('\n'));
  }, [props.value.map(String).join('\n')]);
  return (
    <textarea
      {...props.common}
      rows={3}
      spellcheck={false}
      value={text}
      onInput={(e) => {
        const raw = e.currentTarget.value;
        setText(raw);
        const items = raw
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .map((line) => (props.numeric && Number.isFinite(Number(line)) ? Number(line) : line));
        props.onChange(items.length ? items : undefined);
      }}
    />
  );
}

function JsonInput(props: { common: Common; value: unknown; onChange: (value: unknown) => void }) {
  const [text, setText] = useState(props.value === undefined ? '' : JSON.stringify(props.value, null, 2));
  const [bad, setBad] = useState(false);
  return (
    <>
      <textarea
        {...props.common}
        rows={4}
        spellcheck={false}
        value={text}
        onInput={(e) => {
          const raw = e.currentTarget.value;
          setText(raw);
          if (raw.trim() === '') {
            setBad(false);
            props.onChange(undefined);
            return;
          }
          try {
            props.onChange(JSON.parse(raw));
            setBad(false);
          } catch {
            setBad(true);
            // Sent as text: the server names the field and says what it expected.
            props.onChange(raw);
          }
        }}
      />
      {bad ? <p class="hint warn">Not valid JSON yet: it will be sent as text.</p> : null}
    </>
  );
}

function Req() {
  return (
    // aria-hidden: the control says aria-required itself, and the label stays the field's name.
    <span class="req" aria-hidden="true" title="required">
      {' '}
      *
    </span>
  );
}

function FieldError({ id, message }: { id: string; message: string }) {
  return (
    <p id={id} class="field-error" role="alert">
      {plain(message)}
    </p>
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
