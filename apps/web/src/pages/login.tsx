import { client } from '../client.js';
import { Link, navigate } from '../router.js';
import { Alert, Field, Form, Submit, useAction, useFields } from '../ui.js';

export function LoginPage() {
  const { values, bind } = useFields({ login: '', password: '' });
  const action = useAction(async () => {
    // One box for both: an @ means an email address, as people expect.
    const login = values.login.trim();
    const result = await client.tokenAuth(
      login.includes('@')
        ? { email: login, password: values.password }
        : { username: login, password: values.password },
    );
    if (result.success) navigate('/profile');
    return result;
  }, ['password']);
  return (
    <section>
      <h1>Sign in</h1>
      <Form label="login" onSubmit={action.run}>
        <Field label="Username or email" autoComplete="username" required {...bind('login')} />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          {...bind('password')}
          errors={action.fieldErrors.password}
        />
        {action.formError && <Alert kind="error">{action.formError}</Alert>}
        <Submit pending={action.pending}>Sign in</Submit>
      </Form>
      <p>
        <Link href="/password-forgot">Forgot your password?</Link> ·{' '}
        <Link href="/register">Create an account</Link>
      </p>
    </section>
  );
}
