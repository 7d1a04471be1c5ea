import { TokenAuthDocument } from '@gql-auth/sdk';
import { useMutation } from '@gql-auth/sdk/react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Field, Form, REQUIRED, Submit, useServerForm } from '../forms.js';
import { Alert } from '../ui.js';

export function LoginPage() {
  const [tokenAuth] = useMutation(TokenAuthDocument);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { form, submit, pending, formError } = useServerForm({
    defaultValues: { login: '', password: '' },
    fields: ['password'],
  });
  const { errors } = form.formState;
  const onSubmit = submit(async ({ login, password }) => {
    // One box for both: an @ means an email address, as people expect.
    const name = login.trim();
    const { tokenAuth: result } = await tokenAuth(
      name.includes('@') ? { email: name, password } : { username: name, password },
    );
    // Shown in place of a page that needs a user, that page appears by itself once signed in.
    if (result.success && pathname === '/login') navigate('/profile');
    return result;
  });
  return (
    <section>
      <h1>Sign in</h1>
      <Form label="login" onSubmit={onSubmit}>
        <Field
          label="Username or email"
          autoComplete="username"
          {...form.register('login', REQUIRED)}
          error={errors.login}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          {...form.register('password', REQUIRED)}
          error={errors.password}
        />
        {formError && <Alert kind="error">{formError}</Alert>}
        <Submit pending={pending}>Sign in</Submit>
      </Form>
      <p>
        <Link to="/password-forgot">Forgot your password?</Link> ·{' '}
        <Link to="/register">Create an account</Link>
      </p>
    </section>
  );
}
