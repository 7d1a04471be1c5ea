import { SendPasswordResetEmailDocument } from '@gql-auth/sdk';
import { useMutation } from '@gql-auth/sdk/react';
import { Field, Form, REQUIRED, Submit, useServerForm } from '../forms.js';
import { Alert } from '../ui.js';

export function PasswordForgotPage() {
  const [send] = useMutation(SendPasswordResetEmailDocument);
  const { form, submit, pending, formError, succeeded } = useServerForm({
    defaultValues: { email: '' },
    fields: ['email'],
  });
  const onSubmit = submit(async (values) => (await send(values)).sendPasswordResetEmail);
  return (
    <section>
      <h1>Forgot your password?</h1>
      {succeeded ? (
        // The server answers the same for unknown addresses: so do we.
        <Alert kind="success">
          If an account uses {form.getValues('email')}, we sent it a link to choose a new password.
        </Alert>
      ) : (
        <Form label="forgot password" onSubmit={onSubmit}>
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            {...form.register('email', REQUIRED)}
            error={form.formState.errors.email}
          />
          {formError && <Alert kind="error">{formError}</Alert>}
          <Submit pending={pending}>Send reset link</Submit>
        </Form>
      )}
    </section>
  );
}
