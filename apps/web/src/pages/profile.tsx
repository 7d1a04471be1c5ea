import type { UserFieldsFragment } from '@gql-auth/sdk';
import { useSession } from '@gql-auth/sdk/react';
import { client } from '../client.js';
import { Alert, Field, Form, NewPasswordFields, Submit, useAction, useFields } from '../ui.js';

export function ProfilePage({ user }: { user: UserFieldsFragment }) {
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
  const action = useAction(() => client.resendActivationEmail({ email }));
  return (
    <Alert kind="info">
      Please verify your email address: most changes need it.{' '}
      <button type="button" onClick={action.run} disabled={action.pending}>
        {action.pending ? 'Sending…' : 'Send the link again'}
      </button>
      {action.succeeded && ' Sent.'}
      {action.formError && ` ${action.formError}`}
    </Alert>
  );
}

function UpdateNames({ user }: { user: UserFieldsFragment }) {
  const { reload } = useSession();
  const { values, bind } = useFields({ firstName: user.firstName, lastName: user.lastName });
  const action = useAction(async () => {
    const result = await client.updateAccount(values);
    if (result.success) await reload();
    return result;
  }, ['firstName', 'lastName']);
  return (
    <Form label="update account" onSubmit={action.run}>
      <h2>Details</h2>
      <Field
        label="First name"
        autoComplete="given-name"
        {...bind('firstName')}
        errors={action.fieldErrors.firstName}
      />
      <Field
        label="Last name"
        autoComplete="family-name"
        {...bind('lastName')}
        errors={action.fieldErrors.lastName}
      />
      {action.formError && <Alert kind="error">{action.formError}</Alert>}
      {action.succeeded && <Alert kind="success">Saved.</Alert>}
      <Submit pending={action.pending}>Save details</Submit>
    </Form>
  );
}

function ChangePassword() {
  const { values, bind, reset } = useFields({ oldPassword: '', newPassword1: '', newPassword2: '' });
  const action = useAction(async () => {
    // The SDK stores the fresh pair passwordChange returns: this tab stays signed in, others do not.
    const result = await client.passwordChange(values);
    if (result.success) reset();
    return result;
  }, ['oldPassword', 'newPassword1', 'newPassword2']);
  return (
    <Form label="change password" onSubmit={action.run}>
      <h2>Change password</h2>
      <Field
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        {...bind('oldPassword')}
        errors={action.fieldErrors.oldPassword}
      />
      <NewPasswordFields
        label="New password"
        names={['newPassword1', 'newPassword2']}
        bind={bind}
        errors={action.fieldErrors}
      />
      {action.formError && <Alert kind="error">{action.formError}</Alert>}
      {action.succeeded && (
        <Alert kind="success">Password changed. Your other sessions were signed out.</Alert>
      )}
      <Submit pending={action.pending}>Change password</Submit>
    </Form>
  );
}

function SecondaryEmail({ user }: { user: UserFieldsFragment }) {
  const { reload } = useSession();
  const { values, bind } = useFields({ email: '', password: '' });
  const add = useAction(() => client.sendSecondaryEmailActivation(values), ['email', 'password']);
  const swap = useAction(async () => {
    const result = await client.swapEmails({ password: values.password });
    if (result.success) await reload();
    return result;
  }, ['password']);
  const remove = useAction(async () => {
    const result = await client.removeSecondaryEmail({ password: values.password });
    if (result.success) await reload();
    return result;
  }, ['password']);
  const errors = [add, swap, remove].flatMap((action) => [
    action.formError,
    ...(action.fieldErrors.password ?? []),
  ]);
  return (
    <Form label="secondary email" onSubmit={add.run}>
      <h2>Secondary email</h2>
      <Field label="New secondary email" type="email" {...bind('email')} errors={add.fieldErrors.email} />
      <Field
        label="Current password (to confirm)"
        type="password"
        autoComplete="current-password"
        {...bind('password')}
      />
      {errors.filter(Boolean).map((message) => (
        <Alert kind="error" key={message}>
          {message}
        </Alert>
      ))}
      {add.succeeded && <Alert kind="success">We sent a verification link to {values.email}.</Alert>}
      <div className="buttons">
        <Submit pending={add.pending}>Add secondary email</Submit>
        {user.secondaryEmail && (
          <>
            <button type="button" onClick={swap.run} disabled={swap.pending}>
              Make it primary
            </button>
            <button type="button" onClick={remove.run} disabled={remove.pending}>
              Remove it
            </button>
          </>
        )}
      </div>
    </Form>
  );
}
