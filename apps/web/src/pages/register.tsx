import { RegisterDocument } from '@gql-auth/sdk';
import { useMutation } from '@gql-auth/sdk/react';
import { Link } from 'react-router';
import { Field, Form, NewPasswordFields, REQUIRED, Submit, useServerForm } from '../forms.js';
import { Alert } from '../ui.js';

export function RegisterPage() {
  const [register] = useMutation(RegisterDocument);
  const { form, submit, pending, formError, succeeded } = useServerForm({
    defaultValues: { username: '', email: '', password1: '', password2: '' },
    fields: ['username', 'email', 'password1', 'password2'],
  });
  const { errors } = form.formState;
  const onSubmit = submit(async (values) => (await register(values)).register);
  return (
    <section>
      <h1>Create an account</h1>
      {succeeded ? (
        <Alert kind="success">
          Account created. We sent an activation link to <strong>{form.getValues('email')}</strong>: follow it
          to verify your email address.
        </Alert>
      ) : (
        <Form label="register" onSubmit={onSubmit}>
          <Field
            label="Username"
            autoComplete="username"
            {...form.register('username', REQUIRED)}
            error={errors.username}
          />
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            {...form.register('email', REQUIRED)}
            error={errors.email}
          />
          <NewPasswordFields
            label="Password"
            first={form.register('password1', REQUIRED)}
            second={form.register('password2', REQUIRED)}
            errors={[errors.password1, errors.password2]}
          />
          {formError && <Alert kind="error">{formError}</Alert>}
          <Submit pending={pending}>Create account</Submit>
        </Form>
      )}
      <p>
        Already registered? <Link to="/login">Sign in</Link>
      </p>
    </section>
  );
}
