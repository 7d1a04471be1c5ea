import { client } from '../client.js';
import { Alert, Field, Form, Submit, useAction, useFields } from '../ui.js';

export function PasswordForgotPage() {
  const { values, bind } = useFields({ email: '' });
  const action = useAction(() => client.sendPasswordResetEmail(values), ['email']);
  return (
    <section>
      <h1>Forgot your password?</h1>
      {action.succeeded ? (
        // The server answers the same for unknown addresses: so do we.
        <Alert kind="success">
          If an account uses {values.email}, we sent it a link to choose a new password.
        </Alert>
      ) : (
        <Form label="forgot password" onSubmit={action.run}>
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            required
            {...bind('email')}
            errors={action.fieldErrors.email}
          />
          {action.formError && <Alert kind="error">{action.formError}</Alert>}
          <Submit pending={action.pending}>Send reset link</Submit>
        </Form>
      )}
    </section>
  );
}
