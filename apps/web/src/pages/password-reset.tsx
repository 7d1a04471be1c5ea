import { PasswordResetDocument, PasswordSetDocument } from '@gql-auth/sdk';
import { useMutation } from '@gql-auth/sdk/react';
import { Link, useParams } from 'react-router';
import { Form, NewPasswordFields, REQUIRED, Submit, useServerForm } from '../forms.js';
import { Alert } from '../ui.js';

/** `/password-reset/:token` and `/password-set/:token` (passwordless accounts): the emailed links. */
export function PasswordResetPage({ setOnly = false }: { setOnly?: boolean }) {
  const token = useParams().token!;
  const [passwordReset] = useMutation(PasswordResetDocument);
  const [passwordSet] = useMutation(PasswordSetDocument);
  const { form, submit, pending, formError, succeeded } = useServerForm({
    defaultValues: { newPassword1: '', newPassword2: '' },
    fields: ['newPassword1', 'newPassword2'],
  });
  const { errors } = form.formState;
  const onSubmit = submit(async (values) =>
    setOnly
      ? (await passwordSet({ token, ...values })).passwordSet
      : (await passwordReset({ token, ...values })).passwordReset,
  );
  return (
    <section>
      <h1>{setOnly ? 'Choose your password' : 'Choose a new password'}</h1>
      {succeeded ? (
        <Alert kind="success">
          Your password is set. Every other session was signed out. <Link to="/login">Sign in</Link>
        </Alert>
      ) : (
        <Form label="reset password" onSubmit={onSubmit}>
          <NewPasswordFields
            label="New password"
            first={form.register('newPassword1', REQUIRED)}
            second={form.register('newPassword2', REQUIRED)}
            errors={[errors.newPassword1, errors.newPassword2]}
          />
          {formError && <Alert kind="error">{formError}</Alert>}
          <Submit pending={pending}>Save password</Submit>
        </Form>
      )}
    </section>
  );
}
