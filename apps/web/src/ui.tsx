import type { ErrorCode, ExpectedErrors } from '@gql-auth/sdk';
import { type FormEvent, type InputHTMLAttributes, type ReactNode, useState } from 'react';
import { describeFailure, ERROR_MESSAGES } from './messages.js';

interface Outcome {
  success: boolean;
  errors?: ExpectedErrors | null;
}

export interface Action<T> {
  run(): Promise<T | null>;
  pending: boolean;
  /** Messages by argument name, from the result's `errors`. */
  fieldErrors: Record<string, string[]>;
  /** `nonFieldErrors`, errors of fields without an input here, and thrown failures. */
  formError: string | null;
  succeeded: boolean;
}

/**
 * Runs one SDK call for a form: tracks loading, turns error codes into messages next to their input,
 * and never lets a thrown failure (network, refused) escape as a blank page.
 */
export function useAction<T extends Outcome>(call: () => Promise<T>, fields: string[] = []): Action<T> {
  const [pending, setPending] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [succeeded, setSucceeded] = useState(false);
  async function run() {
    setPending(true);
    setFormError(null);
    setFieldErrors({});
    setSucceeded(false);
    try {
      const result = await call();
      const byField: Record<string, string[]> = {};
      const general: string[] = [];
      for (const [field, list] of Object.entries(result.errors ?? {})) {
        const messages = list.map((error) => messageFor(error.code, error.message));
        if (fields.includes(field)) byField[field] = messages;
        else general.push(...messages);
      }
      setFieldErrors(byField);
      setFormError(general.length > 0 ? general.join(' ') : null);
      setSucceeded(result.success);
      return result;
    } catch (error) {
      setFormError(describeFailure(error));
      return null;
    } finally {
      setPending(false);
    }
  }
  return { run, pending, fieldErrors, formError, succeeded };
}

function messageFor(code: ErrorCode, serverMessage: string): string {
  return ERROR_MESSAGES[code] ?? serverMessage;
}

export function Form(props: { onSubmit: () => unknown; children: ReactNode; label: string }) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void props.onSubmit();
  };
  return (
    <form onSubmit={submit} aria-label={props.label}>
      {props.children}
    </form>
  );
}

export function Field(
  props: {
    label: string;
    name: string;
    errors?: string[] | undefined;
  } & InputHTMLAttributes<HTMLInputElement>,
) {
  const { label, errors, ...input } = props;
  const id = `field-${props.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={errors && errors.length > 0 ? true : undefined} {...input} />
      {errors?.map((message) => (
        <p className="field-error" key={message}>
          {message}
        </p>
      ))}
    </div>
  );
}

/**
 * A new password typed twice, under the API's argument names (`password1`/`password2` or
 * `newPassword1`/`newPassword2`), each with its own error messages.
 */
export function NewPasswordFields<N extends string>(props: {
  label: string;
  names: [N, N];
  bind: (name: N) => {
    name: string;
    value: string;
    onChange: (event: { target: { value: string } }) => void;
  };
  errors: Record<string, string[]>;
}) {
  const [first, second] = props.names;
  return (
    <>
      <Field
        label={props.label}
        type="password"
        autoComplete="new-password"
        required
        {...props.bind(first)}
        errors={props.errors[first]}
      />
      <Field
        label={`${props.label} again`}
        type="password"
        autoComplete="new-password"
        required
        {...props.bind(second)}
        errors={props.errors[second]}
      />
    </>
  );
}

export function Submit(props: { pending: boolean; children: ReactNode }) {
  return (
    <button type="submit" disabled={props.pending} aria-busy={props.pending}>
      {props.pending ? 'Please wait…' : props.children}
    </button>
  );
}

export function Alert(props: { kind: 'error' | 'success' | 'info'; children: ReactNode }) {
  return (
    <div className={`alert alert-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

export function Loading(props: { what?: string }) {
  return (
    <p className="loading" aria-live="polite">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

/** A controlled form state in one line per form. */
export function useFields<T extends Record<string, string>>(initial: T) {
  const [values, setValues] = useState(initial);
  const bind = (name: keyof T & string) => ({
    name,
    value: values[name],
    onChange: (event: { target: { value: string } }) =>
      setValues((prev) => ({ ...prev, [name]: event.target.value })),
  });
  return { values, bind, reset: () => setValues(initial) };
}
