import type { ErrorCode, ExpectedErrors } from '@gql-auth/sdk';
import {
  type BaseSyntheticEvent,
  type FormEvent,
  forwardRef,
  type InputHTMLAttributes,
  type ReactNode,
  useState,
} from 'react';
import {
  type FieldError,
  type FieldValues,
  type Path,
  type UseFormProps,
  type UseFormRegisterReturn,
  type UseFormReturn,
  useForm,
} from 'react-hook-form';
import { describeFailure, ERROR_MESSAGES } from './messages.js';

/** What every account mutation answers: the API's expected failures are data, keyed by argument. */
export interface Outcome {
  success: boolean;
  errors?: ExpectedErrors | null;
}

export interface ServerForm<F extends FieldValues> {
  form: UseFormReturn<F>;
  /**
   * A submit handler (for `<form onSubmit>` or a button's `onClick`) that validates with
   * react-hook-form, runs `call`, and puts the answer's error codes next to their inputs.
   * `name` tells apart the actions of a form with several buttons.
   */
  submit(call: (values: F) => Promise<Outcome>, name?: string): (event?: BaseSyntheticEvent) => void;
  pending: boolean;
  /** `nonFieldErrors`, errors of arguments without an input here, and thrown failures. */
  formError: string | undefined;
  /** The name of the action whose last submit the server accepted (`'submit'` by default), or null. */
  succeeded: string | null;
}

/**
 * react-hook-form plus the API's answer: client-side rules (`register(name, { required })`) first,
 * then the server's codes as field errors (their messages from messages.ts), everything else as the
 * form's error. A thrown failure (network, refused request) never escapes as a blank page.
 * `fields` are the inputs this form shows: an error for another argument goes to the form error,
 * since react-hook-form only clears errors of registered fields at the next submit.
 */
export function useServerForm<F extends FieldValues>(
  options: UseFormProps<F> & { fields: Array<Path<F>> },
): ServerForm<F> {
  const { fields, ...formOptions } = options;
  const form = useForm<F>(formOptions);
  const [lastAction, setLastAction] = useState<string | null>(null);
  const submit: ServerForm<F>['submit'] = (call, name = 'submit') => {
    const run = form.handleSubmit(async (values) => {
      setLastAction(name);
      try {
        showOutcome(form, await call(values), fields);
      } catch (error) {
        form.setError('root.server', { type: 'failure', message: describeFailure(error) });
      }
    });
    return (event) => void run(event);
  };
  const { isSubmitting, isSubmitSuccessful, errors } = form.formState;
  return {
    form,
    submit,
    pending: isSubmitting,
    formError: errors.root?.server?.message,
    // react-hook-form counts a submit as successful when it ended with no error set.
    succeeded: isSubmitSuccessful ? lastAction : null,
  };
}

function showOutcome<F extends FieldValues>(
  form: UseFormReturn<F>,
  outcome: Outcome,
  fields: Array<Path<F>>,
) {
  const general: string[] = [];
  for (const [field, list] of Object.entries(outcome.errors ?? {})) {
    const messages = list.map((error) => messageFor(error.code, error.message));
    if ((fields as string[]).includes(field)) {
      // `types` keeps every message of the field (a password can be too short and too common).
      const types = Object.fromEntries(list.map((error, index) => [error.code, messages[index]!]));
      form.setError(field as Path<F>, { type: 'server', message: messages.join(' '), types });
    } else general.push(...messages);
  }
  if (!outcome.success && general.length === 0 && Object.keys(outcome.errors ?? {}).length === 0)
    general.push('The server refused: please try again.');
  if (general.length > 0) form.setError('root.server', { type: 'server', message: general.join(' ') });
}

/** Every message of an answer's errors, for an outcome shown without a form. */
export function outcomeMessage(outcome: Outcome): string {
  const messages = Object.values(outcome.errors ?? {})
    .flat()
    .map((error) => messageFor(error.code, error.message));
  return messages.length > 0 ? messages.join(' ') : 'The server refused: please try again.';
}

function messageFor(code: ErrorCode, serverMessage: string): string {
  return ERROR_MESSAGES[code] ?? serverMessage;
}

/** Every message of a field's error: the server's list, or the one of a client-side rule. */
function messagesOf(error: FieldError | undefined): string[] {
  if (!error) return [];
  const types = Object.values(error.types ?? {}).filter(
    (value): value is string => typeof value === 'string',
  );
  if (types.length > 0) return types;
  return error.message ? [error.message] : [];
}

/** A labelled input for `form.register(...)`, with its error messages under it. */
export const Field = forwardRef<
  HTMLInputElement,
  { label: string; name: string; error?: FieldError | undefined } & InputHTMLAttributes<HTMLInputElement>
>(function Field({ label, error, ...input }, ref) {
  const id = `field-${input.name}`;
  const messages = messagesOf(error);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={ref}
        aria-invalid={messages.length > 0 ? true : undefined}
        aria-describedby={messages.length > 0 ? `${id}-error` : undefined}
        {...input}
      />
      {messages.length > 0 && (
        <div id={`${id}-error`}>
          {messages.map((message) => (
            <p className="field-error" key={message}>
              {message}
            </p>
          ))}
        </div>
      )}
    </div>
  );
});

/** Client-side rule shared by the forms: the message the server would give for a missing value. */
export const REQUIRED = { required: ERROR_MESSAGES.required };

/**
 * A new password typed twice, under the API's argument names (`password1`/`password2` or
 * `newPassword1`/`newPassword2`): the server checks that they match and how strong they are.
 */
export function NewPasswordFields(props: {
  label: string;
  first: UseFormRegisterReturn;
  second: UseFormRegisterReturn;
  errors: [FieldError | undefined, FieldError | undefined];
}) {
  return (
    <>
      <Field
        label={props.label}
        type="password"
        autoComplete="new-password"
        {...props.first}
        error={props.errors[0]}
      />
      <Field
        label={`${props.label} again`}
        type="password"
        autoComplete="new-password"
        {...props.second}
        error={props.errors[1]}
      />
    </>
  );
}

export function Form(props: { onSubmit: (event: FormEvent) => void; children: ReactNode; label: string }) {
  // noValidate: react-hook-form's rules speak, in the app's words, instead of the browser's bubbles.
  return (
    <form onSubmit={props.onSubmit} aria-label={props.label} noValidate>
      {props.children}
    </form>
  );
}

export function Submit(props: { pending: boolean; children: ReactNode }) {
  return (
    <button type="submit" disabled={props.pending} aria-busy={props.pending}>
      {props.pending ? 'Please wait…' : props.children}
    </button>
  );
}
