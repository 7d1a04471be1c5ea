import {
  PasswordChangeDocument,
  RemoveSecondaryEmailDocument,
  ResendActivationEmailDocument,
  SendSecondaryEmailActivationDocument,
  SwapEmailsDocument,
  UpdateAccountDocument,
  type UserFieldsFragment,
} from '@gql-auth/sdk';
import { useMutation, useSession } from '@gql-auth/sdk/react';
import { useEffect } from 'react';
import { Field, Form, NewPasswordFields, outcomeMessage, REQUIRED, Submit, useServerForm } from '../forms.js';
import { useSignedInUser } from '../guards.js';
import { describeFailure } from '../messages.js';
import { Alert } from '../ui.js';

export function ProfilePage() {
  const user = useSignedInUser();
  return (
    <section>
      <h1>Your profile</h1>
      <dl className="facts">
        <dt>Username</dt>
        <dd data-testid="profile-username">{user.username}</dd>
        <dt>Email</dt>
        <dd>
          {user.email}{' '}
          {user.verified ? (
            <span className="badge">verified</span>
          ) : (
            <span className="badge warn">not verified</span>
          )}
        </dd>
        <dt>Secondary email</dt>
        <dd>{user.secondaryEmail ?? '—'}</dd>
        <dt>Name</dt>
        <dd>{`${user.firstName} ${user.lastName}`.trim() || '—'}</dd>
      </dl>
      {!user.verified && <ResendActivation email={user.email} />}
      <UpdateNames user={user} />
      <ChangePassword />
      <SecondaryEmail user={user} />
    </section>
  );
}

function ResendActivation({ email }: { email: string }) {
  const [resend, state] = useMutation(ResendActivationEmailDocument);
  const result = state.data?.resendActivationEmail;
  return (
    <Alert kind="info">
      Please verify your email address: most changes need it.{' '}
      <button
        type="button"
        onClick={() => void resend({ email }).catch(() => undefined)}
        disabled={state.loading}
      >
        {state.loading ? 'Sending…' : 'Send the link again'}
      </button>
      {result?.success && ' Sent.'}
      {result && !result.success && ` ${outcomeMessage(result)}`}
      {state.error ? ` ${describeFailure(state.error)}` : null}
    </Alert>
  );
}

function UpdateNames({ user }: { user: UserFieldsFragment }) {
  const { reload } = useSession();
  const [updateAccount] = useMutation(UpdateAccountDocument);
  const { form, submit, pending, formError, succeeded } = useServerForm({
    defaultValues: { firstName: user.firstName, lastName: user.lastName },
    fields: ['firstName', 'lastName'],
  });
  const { errors } = form.formState;
  const onSubmit = submit(async (values) => {
    const { updateAccount: result } = await updateAccount(values);
    if (result.success) await reload();
    return result;
  });
  return (
    <Form label="update account" onSubmit={onSubmit}>
      <h2>Details</h2>
      <Field
        label="First name"
        autoComplete="given-name"
        {...form.register('firstName')}
        error={errors.firstName}
      />
      <Field
        label="Last name"
        autoComplete="family-name"
        {...form.register('lastName')}
        error={errors.lastName}
      />
      {formError && <Alert kind="error">{formError}</Alert>}
      {succeeded && <Alert kind="success">Saved.</Alert>}
      <Submit pending={pending}>Save details</Submit>
    </Form>
  );
}

const NO_PASSWORDS = { oldPassword: '', newPassword1: '', newPassword2: '' };

function ChangePassword() {
  const [passwordChange] = useMutation(PasswordChangeDocument);
  const { form, submit, pending, formError, succeeded } = useServerForm({
    defaultValues: NO_PASSWORDS,
    fields: ['oldPassword', 'newPassword1', 'newPassword2'],
  });
  const { errors } = form.formState;
  // The SDK stores the fresh pair passwordChange returns: this tab stays signed in, others do not.
  const onSubmit = submit(async (values) => (await passwordChange(values)).passwordChange);
  // Empty the boxes after a change, keeping the success message (react-hook-form's advice: reset
  // after the submit, not inside it).
  useEffect(() => {
    if (succeeded) form.reset(NO_PASSWORDS, { keepIsSubmitSuccessful: true });
  }, [succeeded, form]);
  return (
    <Form label="change password" onSubmit={onSubmit}>
      <h2>Change password</h2>
      <Field
        label="Current password"
        type="password"
        autoComplete="current-password"
        {...form.register('oldPassword', REQUIRED)}
        error={errors.oldPassword}
      />
      <NewPasswordFields
        label="New password"
        first={form.register('newPassword1', REQUIRED)}
        second={form.register('newPassword2', REQUIRED)}
        errors={[errors.newPassword1, errors.newPassword2]}
      />
      {formError && <Alert kind="error">{formError}</Alert>}
      {succeeded && <Alert kind="success">Password changed. Your other sessions were signed out.</Alert>}
      <Submit pending={pending}>Change password</Submit>
    </Form>
  );
}

/** One form, three actions: each needs the current password, adding also the new address. */
function SecondaryEmail({ user }: { user: UserFieldsFragment }) {
  const { reload } = useSession();
  const [sendActivation] = useMutation(SendSecondaryEmailActivationDocument);
  const [swapEmails] = useMutation(SwapEmailsDocument);
  const [removeSecondary] = useMutation(RemoveSecondaryEmailDocument);
  const { form, submit, pending, formError, succeeded } = useServerForm({
    defaultValues: { email: '', password: '' },
    fields: ['email', 'password'],
  });
  const { errors } = form.formState;
  const reloadOnSuccess = async <T extends { success: boolean }>(result: T) => {
    if (result.success) await reload();
    return result;
  };
  const add = submit(async (values) => (await sendActivation(values)).sendSecondaryEmailActivation, 'add');
  const swap = submit(
    async ({ password }) => reloadOnSuccess((await swapEmails({ password })).swapEmails),
    'swap',
  );
  const remove = submit(
    async ({ password }) => reloadOnSuccess((await removeSecondary({ password })).removeSecondaryEmail),
    'remove',
  );
  return (
    <Form label="secondary email" onSubmit={add}>
      <h2>Secondary email</h2>
      <Field label="New secondary email" type="email" {...form.register('email')} error={errors.email} />
      <Field
        label="Current password (to confirm)"
        type="password"
        autoComplete="current-password"
        {...form.register('password', REQUIRED)}
        error={errors.password}
      />
      {formError && <Alert kind="error">{formError}</Alert>}
      {succeeded === 'add' && (
        <Alert kind="success">We sent a verification link to {form.getValues('email')}.</Alert>
      )}
      <div className="buttons">
        <Submit pending={pending}>Add secondary email</Submit>
        {user.secondaryEmail && (
          <>
            <button type="button" onClick={swap} disabled={pending}>
              Make it primary
            </button>
            <button type="button" onClick={remove} disabled={pending}>
              Remove it
            </button>
          </>
        )}
      </div>
    </Form>
  );
}
