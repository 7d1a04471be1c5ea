import { useSession } from '@gql-auth/sdk/react';
import type { ReactNode } from 'react';
import { client } from './client.js';
import { ActivatePage } from './pages/activate.js';
import { AdminPage } from './pages/admin.js';
import { LoginPage } from './pages/login.js';
import { PasswordForgotPage } from './pages/password-forgot.js';
import { PasswordResetPage } from './pages/password-reset.js';
import { ProfilePage } from './pages/profile.js';
import { RegisterPage } from './pages/register.js';
import { SessionsPage } from './pages/sessions.js';
import { Link, match, navigate, usePath } from './router.js';
import { Alert, Loading } from './ui.js';

export function App() {
  const path = usePath();
  const { user, notice } = useSession();
  return (
    <>
      <header>
        <Link href="/" className="brand">
          gql-auth
        </Link>
        <nav>
          {user ? (
            <>
              <Link href="/profile">Profile</Link>
              <Link href="/sessions">Sessions</Link>
              {user.isStaff && <Link href="/admin">Admin</Link>}
              <button
                type="button"
                onClick={async () => {
                  await client.signOut();
                  navigate('/login');
                }}
              >
                Sign out
              </button>
            </>
          ) : (
            user === null && (
              <>
                <Link href="/login">Sign in</Link>
                <Link href="/register">Register</Link>
              </>
            )
          )}
        </nav>
      </header>
      <main>
        {notice && <Alert kind="error">{notice}</Alert>}
        {route(path, user)}
      </main>
    </>
  );
}

/** The pages emailed links open: `PUBLIC_APP_URL/<path>/<token>`. */
const LINK_PAGES: Array<[string, (token: string) => ReactNode]> = [
  ['/activate/:token', (token) => <ActivatePage token={token} />],
  ['/activate-secondary-email/:token', (token) => <ActivatePage token={token} secondary />],
  ['/password-reset/:token', (token) => <PasswordResetPage token={token} />],
  ['/password-set/:token', (token) => <PasswordResetPage token={token} setOnly />],
];

function route(path: string, user: ReturnType<typeof useSession>['user']): ReactNode {
  for (const [pattern, page] of LINK_PAGES) {
    const params = match(pattern, path);
    if (params) return page(params.token!);
  }
  if (path === '/register') return <RegisterPage />;
  if (path === '/login') return <LoginPage />;
  if (path === '/password-forgot') return <PasswordForgotPage />;
  // Everything below needs to know who is signed in.
  if (user === undefined) return <Loading />;
  if (path === '/' || path === '/profile') return user ? <ProfilePage user={user} /> : <LoginPage />;
  if (path === '/sessions') return user ? <SessionsPage /> : <LoginPage />;
  if (path === '/admin') {
    if (!user) return <LoginPage />;
    return user.isStaff ? <AdminPage /> : <Alert kind="error">The admin pages are for staff only.</Alert>;
  }
  return (
    <section>
      <h1>Not found</h1>
      <p>
        Nothing lives at {path}. <Link href="/">Go home</Link>
      </p>
    </section>
  );
}
