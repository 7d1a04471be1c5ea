import { client } from '../client.js';
import { Link } from '../router.js';
import { Alert, Form, NewPasswordFields, Submit, useAction, useFields } from '../ui.js';

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
          <NewPasswordFields
            label="New password"
            names={['newPassword1', 'newPassword2']}
            bind={bind}
            errors={action.fieldErrors}
          />
          {action.formError && <Alert kind="error">{action.formError}</Alert>}
          <Submit pending={action.pending}>Save password</Submit>
        </Form>
      )}
    </section>
  );
}
