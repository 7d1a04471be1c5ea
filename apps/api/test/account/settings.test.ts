import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteAccountDocument,
  PasswordSetDocument,
  RegisterDocument,
  TokenAuthDocument,
  VerifyAccountDocument,
} from '@gql-auth/sdk';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeDefs } from '../../src/__generated__/type-defs.generated.js';
import { assertRegistrationSchema } from '../../src/graphql/registration-schema.js';
import { createSchema } from '../../src/graphql/schema.js';
import type { AppEvents } from '../../src/modules/events/app-events.js';
import {
  type AccountKit,
  addSecondaryEmail,
  codeOf,
  HOUR,
  login,
  NEW_PASSWORD,
  PASSWORD,
  register,
  startAccountKit,
  verifiedUser,
} from './account-kit.js';

/**
 * The documented passwordless decision applied to the SDL: `password1: String!` and `password2: String!`
 * of `register` become nullable (README, "Passwordless registration"). Fails loudly if the default SDL
 * no longer reads as documented.
 */
function passwordlessTypeDefs(): string[] {
  let changed = 0;
  const edited = typeDefs.map((sdl) =>
    sdl.replace(/^(\s+password[12]): String!$/gm, (_match, field: string) => {
      changed += 1;
      return `${field}: String`;
    }),
  );
  if (changed !== 2)
    throw new Error(`expected register's two String! passwords in the SDL, found ${changed}`);
  return edited;
}

/** A register without passwords: valid only against the passwordless schema, so not an SDK operation. */
const RegisterPasswordlessDocument = parse(`
  mutation RegisterPasswordless($email: String!, $username: String!) {
    register(email: $email, username: $username) { success errors token refreshToken }
  }
`) as TypedDocumentNode<
  { register: { success: boolean; errors: unknown; token: string | null; refreshToken: string | null } },
  { email: string; username: string }
>;

describe('register in the default schema', () => {
  it('declares both passwords String!: a missing one is a GraphQL validation error, nothing is created', async () => {
    const kit = await startAccountKit('postgres+redis');
    try {
      const register = createSchema().getMutationType()?.getFields().register;
      expect(
        register?.args
          .filter((arg) => arg.name.startsWith('password'))
          .map((arg) => `${arg.name}: ${arg.type}`),
      ).toEqual(['password1: String!', 'password2: String!']);
      const response = await kit.api.post(
        JSON.stringify({
          query:
            'mutation { register(email: "x@example.com", username: "x", password1: "correct-Horse-42") { success } }',
        }),
      );
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({
        errors: [
          {
            message:
              'Field "register" argument "password2" of type "String!" is required, but it was not provided.',
          },
        ],
      });
      expect(kit.smtp.mails).toHaveLength(0);
      expect(codeOf((await login(kit, 'x', 'correct-Horse-42')).errors)).toEqual(['invalid_credentials']);
    } finally {
      await kit.close();
    }
  });

  it('the server refuses a schema and a PASSWORDLESS_REGISTRATION setting that disagree, saying what to change', () => {
    expect(() => assertRegistrationSchema(createSchema(), true)).toThrow(
      /PASSWORDLESS_REGISTRATION=true, but the schema requires register\(password1: String!, password2: String!\)\. Make password1 and password2 nullable/,
    );
    const passwordless = createSchema({ typeDefs: passwordlessTypeDefs() });
    expect(() => assertRegistrationSchema(passwordless, false)).toThrow(/PASSWORDLESS_REGISTRATION is off/);
    expect(() => assertRegistrationSchema(createSchema(), false)).not.toThrow();
    expect(() => assertRegistrationSchema(passwordless, true)).not.toThrow();
  });
});

describe('passwordless registration (nullable passwords in the SDL + PASSWORDLESS_REGISTRATION=true)', () => {
  let kit: AccountKit;
  const events: string[] = [];
  beforeAll(async () => {
    kit = await startAccountKit(
      'postgres+redis',
      { PASSWORDLESS_REGISTRATION: 'true' },
      { schema: { typeDefs: passwordlessTypeDefs() } },
    );
    kit.api.services.events.on('userRegistered', ({ passwordless }) => {
      events.push(`registered:${passwordless}`);
    });
    kit.api.services.events.on('userVerified', () => {
      events.push('verified');
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const setPassword = async (token: string, password = NEW_PASSWORD) =>
    (await kit.api.gql(PasswordSetDocument, { token, newPassword1: password, newPassword2: password })).data!
      .passwordSet;

  it('registers without passwords, mails a password-set link; setting it verifies and allows sign-in', async () => {
    const { data } = await kit.api.gql(RegisterPasswordlessDocument, {
      email: 'nopw@example.com',
      username: 'nopw',
    });
    expect(data?.register).toMatchObject({ success: true, errors: null });
    const mail = kit.smtp.lastTo('nopw@example.com');
    expect(mail.subject).toBe('Set your Test Site password');
    expect(mail.text).toContain('valid for 1 hour');
    const token = kit.smtp.tokenFor('nopw@example.com', 'password-set');
    // No password yet: nothing signs in.
    expect(codeOf((await login(kit, 'nopw', '')).errors, 'password')).toEqual(['required']);
    expect(codeOf((await login(kit, 'nopw', 'anything-At-All-1')).errors)).toEqual(['invalid_credentials']);

    const mismatch = await kit.api.gql(PasswordSetDocument, {
      token,
      newPassword1: NEW_PASSWORD,
      newPassword2: 'nope-Nope-123',
    });
    expect(codeOf(mismatch.data?.passwordSet.errors, 'newPassword2')).toEqual(['password_mismatch']);
    expect(await setPassword(token)).toEqual({ success: true, errors: null });
    expect(await setPassword(token, 'second-Try-456')).toEqual({
      success: false,
      errors: {
        nonFieldErrors: [{ code: 'password_already_set', message: 'Password already set for account.' }],
      },
    });
    const session = await login(kit, 'nopw', NEW_PASSWORD);
    expect(session).toMatchObject({ success: true, user: { verified: true } });
    expect(events).toEqual(['registered:true', 'verified']);
  });

  it('a password-set link expires after 1 hour; registration with passwords still sends activation', async () => {
    await kit.api.gql(RegisterPasswordlessDocument, { email: 'slow@example.com', username: 'slow' });
    const token = kit.smtp.tokenFor('slow@example.com', 'password-set');
    kit.api.clock.advance(HOUR);
    try {
      expect(codeOf((await setPassword(token)).errors)).toEqual(['expired_token']);
    } finally {
      kit.api.clock.advance(-HOUR);
    }
    const activation = await register(kit, 'classic');
    expect(
      (await kit.api.gql(VerifyAccountDocument, { token: activation })).data?.verifyAccount.success,
    ).toBe(true);
    // Half a pair is still an error.
    const half = await kit.api.gql(RegisterDocument, {
      email: 'half@example.com',
      username: 'half',
      password1: PASSWORD,
      password2: '',
    });
    expect(codeOf(half.data?.register.errors, 'password2')).toEqual(['required']);
  });
});

describe('other settings', () => {
  it('HARD_DELETE_ACCOUNTS removes the row; LOGIN_BY_SECONDARY_EMAIL=false ignores secondary addresses', async () => {
    const kit = await startAccountKit('postgres+redis', {
      HARD_DELETE_ACCOUNTS: 'true',
      LOGIN_BY_SECONDARY_EMAIL: 'false',
    });
    const deleted: Array<AppEvents['accountDeleted']> = [];
    kit.api.services.events.on('accountDeleted', (event) => {
      deleted.push(event);
    });
    try {
      const user = await verifiedUser(kit, 'gone');
      await addSecondaryEmail(kit, user, 'gone.alt@example.org');
      const bySecondary = await kit.api.gql(TokenAuthDocument, {
        email: 'gone.alt@example.org',
        password: PASSWORD,
      });
      expect(codeOf(bySecondary.data?.tokenAuth.errors)).toEqual(['invalid_credentials']);
      const byPrimary = await kit.api.gql(TokenAuthDocument, {
        email: 'gone@example.com',
        password: PASSWORD,
      });
      expect(byPrimary.data?.tokenAuth.success).toBe(true);

      const del = await kit.api.gql(DeleteAccountDocument, { password: PASSWORD }, { token: user.token });
      expect(del.data?.deleteAccount).toEqual({ success: true, errors: null });
      const rows = await kit.api.services.db.orm.em
        .fork()
        .getConnection()
        .execute('select id from "user" where id = ?', [user.pk]);
      expect(rows).toEqual([]);
      expect(deleted).toEqual([
        expect.objectContaining({
          hard: true,
          user: { id: user.pk, username: 'gone', email: 'gone@example.com' },
        }),
      ]);
      expect(codeOf((await login(kit, 'gone')).errors)).toEqual(['invalid_credentials']);
      // The names are free again.
      await register(kit, 'gone');
    } finally {
      await kit.close();
    }
  });

  it('ALLOW_UNVERIFIED_LOGIN=false: not_verified only with the right password; register returns no tokens', async () => {
    const kit = await startAccountKit('postgres+redis', { ALLOW_UNVERIFIED_LOGIN: 'false' });
    try {
      const { data } = await kit.api.gql(RegisterDocument, {
        email: 'strict@example.com',
        username: 'strict',
        password1: PASSWORD,
        password2: PASSWORD,
      });
      expect(data?.register).toMatchObject({ success: true, token: null, refreshToken: null });
      expect(codeOf((await login(kit, 'strict')).errors)).toEqual(['not_verified']);
      expect(codeOf((await login(kit, 'strict', 'wrong-Password-1')).errors)).toEqual([
        'invalid_credentials',
      ]);
      const token = kit.smtp.tokenFor('strict@example.com', 'activate');
      await kit.api.gql(VerifyAccountDocument, { token });
      expect((await login(kit, 'strict')).success).toBe(true);
    } finally {
      await kit.close();
    }
  });

  it('MAIL_TEMPLATES_DIR replaces templates without code; token lifetimes are configurable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'templates-'));
    await writeFile(join(dir, 'activation.subject.txt'), 'Welcome aboard, {{ user.username }}!');
    await writeFile(join(dir, 'activation.txt'), 'Go to {{link}} within {{validFor}}.\n');
    const kit = await startAccountKit('postgres+redis', {
      MAIL_TEMPLATES_DIR: dir,
      ACTIVATION_TOKEN_TTL_SECONDS: '120',
    });
    try {
      const token = await register(kit, 'custom');
      const mail = kit.smtp.lastTo('custom@example.com');
      expect(mail.subject).toBe('Welcome aboard, custom!');
      expect(mail.text.trim()).toBe(`Go to http://app.test/activate/${token} within 2 minutes.`);
      expect(mail.html).toContain('Activate my account'); // the HTML part was not replaced
      kit.api.clock.advance(120_000);
      try {
        const late = await kit.api.gql(VerifyAccountDocument, { token });
        expect(codeOf(late.data?.verifyAccount.errors)).toEqual(['expired_token']);
      } finally {
        kit.api.clock.advance(-120_000);
      }
    } finally {
      await kit.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
