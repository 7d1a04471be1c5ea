/**
 * One request, many times the work: aliases of password hashing and mail, aliased lists, deep
 * nesting, fragment explosions, directive and variable floods. Survived: answered without a 5xx or
 * internal error and with at most 2 s of server CPU (the bar the issue sets for any request that
 * fits in the body limit).
 */
import { type Answer, type Drill, forwardedFor, lossOf, post, round, signedInUser } from './drill-kit.js';

const CPU_BUDGET_MS = 2_000;

const aliases = (count: number, field: string) =>
  Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');

export const queryCostDrill: Drill = async (server) => {
  const user = await signedInUser(server, 'cost_user');
  const root = await signedInUser(server, 'cost_root', { superuser: true });
  const fragmentBomb = [
    'query { ...F30 }',
    'fragment F0 on Query { __typename }',
    ...Array.from(
      { length: 30 },
      (_, index) => `fragment F${index + 1} on Query { ...F${index} ...F${index} }`,
    ),
  ].join('\n');
  const attacks: Array<{ name: string; query: string; token?: string }> = [
    {
      name: '100 aliased tokenAuth',
      query: `mutation { ${aliases(100, 'tokenAuth(username: "cost_user", password: "guess") { success }')} }`,
    },
    {
      name: '500 aliased tokenAuth',
      query: `mutation { ${aliases(500, 'tokenAuth(username: "cost_user", password: "guess") { success }')} }`,
    },
    {
      name: '100 aliased passwordChange',
      token: user,
      query: `mutation { ${aliases(100, 'passwordChange(oldPassword: "guess", newPassword1: "Another-Pass-77", newPassword2: "Another-Pass-77") { success }')} }`,
    },
    {
      name: '100 aliased register',
      query: `mutation { ${Array.from({ length: 100 }, (_, index) => `a${index}: register(email: "r${index}@example.com", username: "r${index}", password1: "Drill-Pass-4242", password2: "Drill-Pass-4242") { success }`).join(' ')} }`,
    },
    {
      name: '100 aliased sendPasswordResetEmail',
      query: `mutation { ${aliases(100, 'sendPasswordResetEmail(email: "cost_user@example.com") { success }')} }`,
    },
    {
      name: '1000 aliased sessions',
      token: user,
      query: `{ ${aliases(1000, 'sessions { id created lastUsed userAgent ip }')} }`,
    },
    {
      name: '1550 aliased users(first: 100)',
      token: root,
      query: `{ ${aliases(1550, 'users(first: 100) { edges { node { id username email } } }')} }`,
    },
    {
      name: 'one users(first: 1000)',
      token: root,
      query: '{ users(first: 1000) { edges { node { id username email firstName lastName } } } }',
    },
    { name: 'document nested 2,000 deep', query: `{ ${'me { '.repeat(2000)}id${' }'.repeat(2000)} }` },
    {
      name: 'inline fragments nested 300 deep',
      query: `{ ${'... on Query { '.repeat(300)}__typename${' }'.repeat(300)} }`,
    },
    { name: 'fragment explosion (2^30 fields)', query: fragmentBomb },
    { name: '99 kB of __typename', query: `{ ${'__typename '.repeat(9_000)} }` },
    { name: '2,000 directives', query: `{ __typename ${'@include(if: true) '.repeat(2_000)} }` },
    {
      name: '3,000 variables',
      query: `query (${Array.from({ length: 3000 }, (_, index) => `$v${index}: String`).join(', ')}) { __typename }`,
    },
  ];
  let survived = 0;
  const notes: string[] = [];
  const losses: string[] = [];
  let index = 0;
  for (const attack of attacks) {
    const headers: Record<string, string> = { 'x-forwarded-for': forwardedFor(10_000 + index++) };
    if (attack.token) headers.authorization = `JWT ${attack.token}`;
    const cpuBefore = await server.cpuMs();
    let answer: Answer | null = null;
    let loss: string | null;
    try {
      answer = await post(server, { query: attack.query }, headers);
      loss = lossOf(answer);
    } catch (error) {
      loss = `request failed: ${(error as Error).message}`;
    }
    const cpu = (await server.cpuMs()) - cpuBefore;
    if (!loss && cpu > CPU_BUDGET_MS) loss = `${round(cpu)} ms of server CPU`;
    const code = answer?.json?.errors?.[0]?.extensions?.code ?? (answer?.json?.data ? 'answered' : '-');
    notes.push(
      `${attack.name}: HTTP ${answer?.status ?? '-'} ${code}, ${round(answer?.ms ?? 0)} ms wall, ${round(cpu)} ms server CPU, ${round((answer?.text.length ?? 0) / 1024)} kB`,
    );
    if (loss) losses.push(`${attack.name}: ${loss}`);
    else survived++;
  }
  return {
    name: 'alias, depth and cost attacks',
    tried: attacks.length,
    survived,
    lost: attacks.length - survived,
    notes,
    losses,
  };
};
