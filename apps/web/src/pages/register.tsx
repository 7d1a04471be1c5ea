import { client } from '../client.js';
import { Link } from '../router.js';
import { Alert, Field, Form, NewPasswordFields, Submit, useAction, useFields } from '../ui.js';

export function RegisterPage() {
  const { values, bind } = useFields({ username: '', email: '', password1: '', password2: '' });
  const action = useAction(() => client.register(values), ['username', 'email', 'password1', 'password2']);
  return (
    <section>
      <h1>Create an account</h1>
      {action.succeeded ? (
        <Alert kind="success">
          Account created. We sent an activation link to <strong>{values.email}</strong>: follow it to verify
          your email address.
        </Alert>
      ) : (
        <Form label="register" onSubmit={action.run}>
          <Field
            label="Username"
            autoComplete="username"
            required
            {...bind('username')}
            errors={action.fieldErrors.username}
          />
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            required
            {...bind('email')}
            errors={action.fieldErrors.email}
          />
          <NewPasswordFields
            label="Password"
            names={['password1', 'password2']}
            bind={bind}
            errors={action.fieldErrors}
          />
          {action.formError && <Alert kind="error">{action.formError}</Alert>}
          <Submit pending={action.pending}>Create account</Submit>
        </Form>
      )}
      <p>
        Already registered? <Link href="/login">Sign in</Link>
      </p>
    </section>
  );
}
