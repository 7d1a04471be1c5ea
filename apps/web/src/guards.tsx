import type { UserFieldsFragment } from '@gql-auth/sdk';
import { useSession } from '@gql-auth/sdk/react';
import { Outlet, useOutletContext } from 'react-router';
import { LoginPage } from './pages/login.js';
import { Alert, Loading } from './ui.js';

/** Pages for a signed-in user: the sign-in form in their place otherwise (the URL stays). */
export function SignedIn() {
  const { user } = useSession();
  if (user === undefined) return <Loading />;
  if (!user) return <LoginPage />;
  return <Outlet context={user} />;
}

/** The signed-in user, inside `SignedIn`'s routes. */
export function useSignedInUser(): UserFieldsFragment {
  return useOutletContext<UserFieldsFragment>();
}

export function StaffOnly() {
  const user = useSignedInUser();
  if (!user.isStaff) return <Alert kind="error">The admin pages are for staff only.</Alert>;
  return <Outlet context={user} />;
}
