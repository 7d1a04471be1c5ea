import { useAuthClient, useSession } from '@gql-auth/sdk/react';
import { Link, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import { SignedIn, StaffOnly } from './guards.js';
import { ActivatePage } from './pages/activate.js';
import { AdminPage } from './pages/admin.js';
import { LoginPage } from './pages/login.js';
import { PasswordForgotPage } from './pages/password-forgot.js';
import { PasswordResetPage } from './pages/password-reset.js';
import { ProfilePage } from './pages/profile.js';
import { RegisterPage } from './pages/register.js';
import { SessionsPage } from './pages/sessions.js';
import { Alert } from './ui.js';

/** React Router's declarative routes; the emailed links open `PUBLIC_APP_URL/<path>/<token>`. */
export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="activate/:token" element={<ActivatePage />} />
        <Route path="activate-secondary-email/:token" element={<ActivatePage secondary />} />
        <Route path="password-reset/:token" element={<PasswordResetPage />} />
        <Route path="password-set/:token" element={<PasswordResetPage setOnly />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="password-forgot" element={<PasswordForgotPage />} />
        <Route element={<SignedIn />}>
          <Route index element={<ProfilePage />} />
          <Route path="profile" element={<ProfilePage />} />
          <Route path="sessions" element={<SessionsPage />} />
          <Route path="admin" element={<StaffOnly />}>
            <Route index element={<AdminPage />} />
          </Route>
        </Route>
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function Layout() {
  const { user, notice } = useSession();
  const client = useAuthClient();
  const navigate = useNavigate();
  return (
    <>
      <header>
        <Link to="/" className="brand">
          gql-auth
        </Link>
        <nav>
          {user ? (
            <>
              <Link to="/profile">Profile</Link>
              <Link to="/sessions">Sessions</Link>
              {user.isStaff && <Link to="/admin">Admin</Link>}
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
                <Link to="/login">Sign in</Link>
                <Link to="/register">Register</Link>
              </>
            )
          )}
        </nav>
      </header>
      <main>
        {notice && <Alert kind="error">{notice}</Alert>}
        <Outlet />
      </main>
    </>
  );
}

function NotFound() {
  const { pathname } = useLocation();
  return (
    <section>
      <h1>Not found</h1>
      <p>
        Nothing lives at {pathname}. <Link to="/">Go home</Link>
      </p>
    </section>
  );
}
