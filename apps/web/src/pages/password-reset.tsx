import { client } from '../client.js';
import { Link } from '../router.js';
import { Alert, Field, Form, Submit, useAction, useFields } from '../ui.js';

/** `/password-reset/:token` and `/password-set/:token` (passwordless accounts): the emailed links. */
export function PasswordResetPage({ token, setOnly = false }: { token: string; setOnly?: boolean }) {
  const { values, bind } = useFields({ newPassword1: '', newPassword2: '' });
  const action = useAction(
    () => (setOnly ? client.passwordSet({ token, ...values }) : client.passwordReset({ token, ...values })),
    ['newPassword1', 'newPassword2'],
  );
  return (
    <section>
      <h1>{setOnly ? 'Choose your password' : 'Choose a new password'}</h1>
      {action.succeeded ? (
        <Alert kind="success">
          Your password is set. Every other session was signed out. <Link href="/login">Sign in</Link>
        </Alert>
      ) : (
        <Form label="reset password" onSubmit={action.run}>
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            {...bind('newPassword1')}
            errors={action.fieldErrors.newPassword1}
          />
          <Field
            label="New password again"
            type="password"
            autoComplete="new-password"
            required
            {...bind('newPassword2')}
            errors={action.fieldErrors.newPassword2}
          />
          {action.formError && <Alert kind="error">{action.formError}</Alert>}
          <Submit pending={action.pending}>Save password</Submit>
        </Form>
      )}
    </section>
  );
}
