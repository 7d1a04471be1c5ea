import { VerifyAccountDocument, VerifySecondaryEmailDocument } from '@gql-auth/sdk';
import { useMutation, useSession } from '@gql-auth/sdk/react';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { type Outcome, outcomeMessage } from '../forms.js';
import { describeFailure } from '../messages.js';
import { Alert, Loading } from '../ui.js';

/** `/activate/:token` and `/activate-secondary-email/:token`: the links of the emails. */
export function ActivatePage({ secondary = false }: { secondary?: boolean }) {
  const token = useParams().token!;
  const { reload } = useSession();
  const [verifyAccount, account] = useMutation(VerifyAccountDocument);
  const [verifySecondary, secondaryEmail] = useMutation(VerifySecondaryEmailDocument);
  const started = useRef(false);
  useEffect(() => {
    // Once per page load: React's strict mode mounts twice and tokens are single-use.
    if (started.current) return;
    started.current = true;
    const verify = secondary
      ? verifySecondary({ token }).then((data) => data.verifySecondaryEmail)
      : verifyAccount({ token }).then((data) => data.verifyAccount);
    // A failure is in the mutation's state, shown below.
    void verify.then((result) => (result.success ? reload() : undefined)).catch(() => undefined);
  }, [secondary, token, verifyAccount, verifySecondary, reload]);

  const state = secondary ? secondaryEmail : account;
  const result: Outcome | undefined = secondary
    ? secondaryEmail.data?.verifySecondaryEmail
    : account.data?.verifyAccount;
  return (
    <section>
      <h1>{secondary ? 'Verify your secondary email' : 'Activate your account'}</h1>
      {state.error ? (
        <Alert kind="error">{describeFailure(state.error)}</Alert>
      ) : !result ? (
        <Loading what="your verification" />
      ) : result.success ? (
        <Alert kind="success">
          {secondary ? 'Your secondary email address is verified.' : 'Your email address is verified.'}{' '}
          <Link to={secondary ? '/profile' : '/login'}>{secondary ? 'Back to your profile' : 'Sign in'}</Link>
        </Alert>
      ) : (
        <Alert kind="error">{outcomeMessage(result)}</Alert>
      )}
    </section>
  );
}
