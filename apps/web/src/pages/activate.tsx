import { useSession } from '@gql-auth/sdk/react';
import { useEffect, useRef } from 'react';
import { client } from '../client.js';
import { Link } from '../router.js';
import { Alert, Loading, useAction } from '../ui.js';

/** `/activate/:token` and `/activate-secondary-email/:token`: the links of the emails. */
export function ActivatePage({ token, secondary = false }: { token: string; secondary?: boolean }) {
  const { reload } = useSession();
  const action = useAction(() =>
    secondary ? client.verifySecondaryEmail({ token }) : client.verifyAccount({ token }),
  );
  const started = useRef(false);
  useEffect(() => {
    // Once per page load: React's strict mode mounts twice and tokens are single-use.
    if (started.current) return;
    started.current = true;
    void action.run().then(async (result) => {
      if (result?.success) await reload();
    });
  }, [action, reload]);
  return (
    <section>
      <h1>{secondary ? 'Verify your secondary email' : 'Activate your account'}</h1>
      {action.pending || (!action.succeeded && !action.formError) ? (
        <Loading what="your verification" />
      ) : action.succeeded ? (
        <Alert kind="success">
          {secondary ? 'Your secondary email address is verified.' : 'Your email address is verified.'}{' '}
          <Link href={secondary ? '/profile' : '/login'}>
            {secondary ? 'Back to your profile' : 'Sign in'}
          </Link>
        </Alert>
      ) : (
        <Alert kind="error">{action.formError}</Alert>
      )}
    </section>
  );
}
