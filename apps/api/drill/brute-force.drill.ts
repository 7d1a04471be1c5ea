/**
 * Guessing: 200 wrong passwords for one account from one client (sequential, then 8 in parallel
 * from another), guesses packed into aliases, a flood of reset mails to one address and of
 * registrations from one client. Survived: the guesses that reached a password check stay within
 * the configured allowance, the owner signs in at once from elsewhere, and mail and sign-ups stop at
 * their limits.
 */
import { type Drill, forwardedFor, post, round } from './drill-kit.js';

const SIGN_IN =
  'mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { success errors } }';

type Outcome = 'checked' | 'refused' | 'signed-in' | 'other';

function outcomeOf(data: Record<string, unknown> | null | undefined, field: string): Outcome {
  const payload = data?.[field] as
    | { success?: boolean; errors?: Record<string, Array<{ code: string }>> }
    | undefined;
  if (payload?.success) return 'signed-in';
  const code = payload?.errors?.nonFieldErrors?.[0]?.code;
  if (code === 'rate_limited') return 'refused';
  if (code === 'invalid_credentials') return 'checked';
  return 'other';
}

export const bruteForceDrill: Drill = async (server) => {
  const password = 'Owner-Pass-4242';
  await post(
    server,
    {
      query: `mutation { register(email: "bf_owner@example.com", username: "bf_owner", password1: "${password}", password2: "${password}") { success } }`,
    },
    { 'x-forwarded-for': '198.19.1.1' },
  );
  const notes: string[] = [];
  const losses: string[] = [];
  let survived = 0;
  let tried = 0;
  const check = (ok: boolean, name: string, detail: string) => {
    tried++;
    notes.push(`${name}: ${detail}`);
    if (ok) survived++;
    else losses.push(`${name}: ${detail}`);
  };

  // 1. Sequential guesses from one client.
  const counts = { checked: 0, refused: 0, 'signed-in': 0, other: 0 };
  let started = performance.now();
  for (let attempt = 0; attempt < 200; attempt++) {
    const answer = await post(
      server,
      { query: SIGN_IN, variables: { u: 'bf_owner', p: `guess-${attempt}` } },
      { 'x-forwarded-for': '198.18.200.1' },
    );
    counts[outcomeOf(answer.json?.data, 'tokenAuth')]++;
  }
  let seconds = (performance.now() - started) / 1000;
  check(
    counts.checked <= 10 && counts.refused >= 190 && counts.other === 0,
    '200 sequential guesses, one client',
    `${counts.checked} reached a password check, ${counts.refused} refused (rate_limited), ${round(seconds)} s (${round(counts.checked / seconds)} checked guesses/s)`,
  );

  // 2. The owner signs in from elsewhere, at once.
  const owner = await post(
    server,
    { query: SIGN_IN, variables: { u: 'bf_owner', p: password } },
    { 'x-forwarded-for': '198.19.1.1' },
  );
  check(
    outcomeOf(owner.json?.data, 'tokenAuth') === 'signed-in' && owner.ms < 1_000,
    'owner from another client',
    `${outcomeOf(owner.json?.data, 'tokenAuth')} in ${round(owner.ms)} ms`,
  );

  // 3. 8 in parallel from a second client.
  const parallel = { checked: 0, refused: 0, 'signed-in': 0, other: 0 };
  started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < 200) {
        const attempt = next++;
        const answer = await post(
          server,
          { query: SIGN_IN, variables: { u: 'bf_owner', p: `parallel-${attempt}` } },
          { 'x-forwarded-for': '198.18.200.2' },
        );
        parallel[outcomeOf(answer.json?.data, 'tokenAuth')]++;
      }
    }),
  );
  seconds = (performance.now() - started) / 1000;
  check(
    parallel.checked <= 10 && parallel.other === 0,
    '200 guesses, 8 in parallel, one client',
    `${parallel.checked} reached a password check, ${parallel.refused} refused, ${round(seconds)} s`,
  );

  // 4. Guesses packed into aliases.
  const aliased = await post(
    server,
    {
      query: `mutation { ${Array.from({ length: 100 }, (_, index) => `g${index}: tokenAuth(username: "bf_owner", password: "alias-${index}") { success }`).join(' ')} }`,
    },
    { 'x-forwarded-for': '198.18.200.3' },
  );
  check(
    aliased.status === 400,
    '100 guesses in one request',
    `HTTP ${aliased.status} ${aliased.json?.errors?.map((error) => error.extensions?.code).join(', ')} in ${round(aliased.ms)} ms`,
  );

  // 5. Reset mails to one address, each from a different client.
  let accepted = 0;
  for (let attempt = 0; attempt < 100; attempt++) {
    const answer = await post(
      server,
      { query: 'mutation { sendPasswordResetEmail(email: "bf_owner@example.com") { success errors } }' },
      { 'x-forwarded-for': forwardedFor(20_000 + attempt) },
    );
    if ((answer.json?.data?.sendPasswordResetEmail as { success?: boolean })?.success) accepted++;
  }
  check(accepted <= 5, '100 reset mails to one address', `${accepted} sent, ${100 - accepted} refused`);

  // 6. Sign-ups from one client.
  let registered = 0;
  for (let attempt = 0; attempt < 50; attempt++) {
    const answer = await post(
      server,
      {
        query: `mutation { register(email: "flood${attempt}@example.com", username: "flood${attempt}", password1: "${password}", password2: "${password}") { success } }`,
      },
      { 'x-forwarded-for': '198.18.200.4' },
    );
    if ((answer.json?.data?.register as { success?: boolean })?.success) registered++;
  }
  check(registered <= 20, '50 sign-ups from one client', `${registered} created, ${50 - registered} refused`);

  return { name: 'brute force and floods', tried, survived, lost: tried - survived, notes, losses };
};
