import {
  createClient,
  MeDocument,
  PasswordChangeDocument,
  RefreshTokenDocument,
  RegisterDocument,
  SwapEmailsDocument,
  TokenAuthDocument,
  VerifyAccountDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessagesFr } from '../../src/modules/base/errors/error-catalogue.fr.js';
import { errorMessages } from '../../src/modules/base/errors/error-catalogue.js';
import {
  localizeRequestMessage,
  REQUEST_ERROR_CATALOGUES,
} from '../../src/modules/base/errors/localize-request-errors.js';
import { requestErrorMessages } from '../../src/modules/base/errors/request-error-catalogue.js';
import { negotiateLocale } from '../../src/modules/base/locale.js';
import { defaultTemplatesFr } from '../../src/modules/mail/default-templates.fr.js';
import { defaultTemplates } from '../../src/modules/mail/default-templates.js';
import { unknownPlaceholders } from '../../src/modules/mail/mail-templates.js';
import {
  type AccountKit,
  addSecondaryEmail,
  NEW_PASSWORD,
  PASSWORD,
  startAccountKit,
} from '../account/account-kit.js';

describe('negotiateLocale', () => {
  it('picks the best supported language by quality, then order; null for none', () => {
    expect(negotiateLocale('fr-CA,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(negotiateLocale('de-DE,de;q=0.9,fr;q=0.5,en;q=0.7')).toBe('en');
    expect(negotiateLocale('en;q=0.2, fr')).toBe('fr');
    expect(negotiateLocale('fr;q=0, en')).toBe('en');
    expect(negotiateLocale('de, es')).toBeNull();
    expect(negotiateLocale('')).toBeNull();
    expect(negotiateLocale(null)).toBeNull();
  });

  it('has a French message for every code and a French version of every template', () => {
    expect(Object.keys(errorMessagesFr).sort()).toEqual(Object.keys(errorMessages).sort());
    for (const code of Object.keys(errorMessages) as Array<keyof typeof errorMessages>)
      expect(errorMessagesFr[code]).not.toBe(errorMessages[code]);
    expect(Object.keys(defaultTemplatesFr).sort()).toEqual(Object.keys(defaultTemplates).sort());
    for (const template of Object.values(defaultTemplatesFr))
      for (const part of Object.values(template)) expect(unknownPlaceholders(part)).toEqual([]);
  });
});

describe('request-error catalogues', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  it('every locale has every code and case of the English one, with the same placeholders', () => {
    for (const [locale, catalogue] of Object.entries(REQUEST_ERROR_CATALOGUES)) {
      expect(Object.keys(catalogue).sort(), locale).toEqual(Object.keys(requestErrorMessages).sort());
      for (const [code, cases] of Object.entries(requestErrorMessages)) {
        const translated = catalogue[code as keyof typeof catalogue] as Record<string, string>;
        expect(Object.keys(translated).sort(), `${locale} ${code}`).toEqual(Object.keys(cases).sort());
        for (const [key, english] of Object.entries(cases as Record<string, string>)) {
          expect(placeholders(translated[key]!), `${locale} ${code}.${key}`).toEqual(placeholders(english));
          if (locale !== 'en') expect(translated[key], `${locale} ${code}.${key}`).not.toBe(english);
        }
      }
    }
  });

  it('carries the values over, leaves messages it does not own and other codes alone', () => {
    expect(
      localizeRequestMessage('MAX_DEPTH_EXCEEDED', 'Query depth limit of 10 exceeded, found 12.', 'fr'),
    ).toBe('Limite de profondeur de 10 dépassée : 12 niveaux.');
    expect(localizeRequestMessage('FORBIDDEN', '`users`: Needs the `auth.view_user` permission.', 'fr')).toBe(
      '`users` : il faut la permission `auth.view_user`.',
    );
    // graphql-js's own text (it quotes the document) and a message under another code stay English.
    const own = 'Variable "$first" got invalid value "x"; Int cannot represent non-integer value: "x"';
    expect(localizeRequestMessage('BAD_USER_INPUT', own, 'fr')).toBe(own);
    expect(localizeRequestMessage('FORBIDDEN', 'Unknown user.', 'fr')).toBe('Unknown user.');
    expect(localizeRequestMessage('NOT_FOUND', 'Unknown user.', 'en')).toBe('Unknown user.');
  });
});

describe('messages by locale', () => {
  let kit: AccountKit;
  beforeAll(async () => {
    kit = await startAccountKit('postgres+redis');
  });
  afterAll(async () => {
    await kit?.close();
  });

  const register = (username: string, headers: Record<string, string> = {}) =>
    kit.api.request(
      RegisterDocument,
      { email: `${username}@example.com`, username, password1: PASSWORD, password2: PASSWORD },
      headers,
    );
  const wrongPassword = (username: string, headers: Record<string, string>) =>
    kit.api.request(TokenAuthDocument, { username, password: 'wrong-Password-1' }, headers);

  it('error messages follow Accept-Language, English when it names nothing we have', async () => {
    const username = `lang${Date.now().toString(36)}`;
    await register(username);
    const message = async (headers: Record<string, string>) =>
      (await wrongPassword(username, headers)).data?.tokenAuth.errors?.nonFieldErrors?.[0];
    expect(await message({ 'accept-language': 'fr-FR,fr;q=0.9' })).toEqual({
      code: 'invalid_credentials',
      message: 'Veuillez saisir des identifiants valides.',
    });
    expect(await message({ 'accept-language': 'de' })).toEqual({
      code: 'invalid_credentials',
      message: 'Please, enter valid credentials.',
    });
    expect((await message({}))?.message).toBe('Please, enter valid credentials.');
    // Field errors too (password validation on register).
    const weak = await kit.api.request(
      RegisterDocument,
      { email: 'weak@example.com', username: 'weakling', password1: '123', password2: '123' },
      { 'accept-language': 'fr' },
    );
    const messages = (weak.data?.register.errors?.password2 ?? []).map(
      (error: { message: string }) => error.message,
    );
    expect(messages).toContain('Ce mot de passe est trop court. Il doit contenir au moins 8 caractères.');
  });

  /** A raw POST to /graphql: request errors are what the SDK's typed calls do not show. */
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const { status, json } = await kit.api.post(body, headers);
    return {
      status,
      errors: (json as { errors?: Array<{ message: string; extensions?: { code?: string } }> }).errors,
    };
  };
  const query = (text: string, headers?: Record<string, string>) =>
    post(JSON.stringify({ query: text }), headers);
  const FRENCH = { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' };

  it('request errors (query limits, refusals, malformed bodies) follow Accept-Language; codes stay', async () => {
    const aliases = `{ me { ${Array.from({ length: 20 }, (_, i) => `a${i}: id`).join(' ')} } }`;
    expect((await query(aliases, FRENCH)).errors?.[0]).toMatchObject({
      message: 'Limite de 15 alias dépassée : 20 alias.',
      extensions: { code: 'MAX_ALIASES_EXCEEDED', limit: 15 },
    });
    expect((await query(aliases)).errors?.[0]).toMatchObject({
      message: 'Aliases limit of 15 exceeded, found 20.',
      extensions: { code: 'MAX_ALIASES_EXCEEDED' },
    });
    expect((await query(aliases, { 'accept-language': 'de' })).errors?.[0]?.message).toBe(
      'Aliases limit of 15 exceeded, found 20.',
    );

    const deep = `{ me { ${'... on UserNode { '.repeat(12)}id${' }'.repeat(12)} } }`;
    const depth = await query(deep, FRENCH);
    expect(depth.status).toBe(400);
    expect(depth.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
    expect(depth.errors?.[0]?.message).toMatch(/^Limite de profondeur de 10 dépassée : \d+ niveaux\.$/);

    // A refusal thrown by the access directives, during execution.
    const anonymous = await query('{ mySecurityEvents(first: 1) { edges { node { action } } } }', FRENCH);
    expect(anonymous.errors?.[0]).toMatchObject({
      message: '`mySecurityEvents` : vous devez être connecté pour faire cela.',
      extensions: { code: 'UNAUTHENTICATED' },
    });

    // Answered by Express before GraphQL runs.
    const malformed = await post('{"query": ', FRENCH);
    expect(malformed).toEqual({
      status: 400,
      errors: [
        { message: 'Le corps de la requête n’est pas du JSON valide.', extensions: { code: 'BAD_REQUEST' } },
      ],
    });
  });

  it('a signed-in viewer who sends no Accept-Language gets request errors in their stored language', async () => {
    const username = `frv${Date.now().toString(36)}`;
    await register(username, FRENCH);
    const token = (await kit.api.request(TokenAuthDocument, { username, password: PASSWORD }, FRENCH)).data!
      .tokenAuth.token!;
    const staffOnly = '{ permissions { codename } }';
    expect((await query(staffOnly, { authorization: `JWT ${token}` })).errors?.[0]).toMatchObject({
      message: '`permissions` : réservé à l’équipe.',
      extensions: { code: 'FORBIDDEN' },
    });
    // The request's own Accept-Language wins over the stored preference.
    expect(
      (await query(staffOnly, { authorization: `JWT ${token}`, 'accept-language': 'en' })).errors?.[0]
        ?.message,
    ).toBe('`permissions`: Staff only.');
  });

  it('the SDK passes acceptLanguage through', async () => {
    const username = `sdk${Date.now().toString(36)}`;
    await register(username);
    const client = createClient({ url: `${kit.api.url}/graphql`, acceptLanguage: 'fr' });
    const result = await client.tokenAuth({ username, password: 'wrong-Password-1' });
    expect(result.errors?.nonFieldErrors?.[0]?.message).toBe('Veuillez saisir des identifiants valides.');
  });

  it('emails and notices go out in the stored language: that of sign-up, then of the latest sign-in', async () => {
    const username = `fr${Date.now().toString(36)}`;
    const email = `${username}@example.com`;
    expect((await register(username, { 'accept-language': 'fr' })).data?.register.success).toBe(true);
    expect(kit.smtp.lastTo(email).subject).toBe('Activez votre compte Test Site');
    expect(kit.smtp.lastTo(email).text).toContain('Bonjour');
    const verified = await kit.api.gql(VerifyAccountDocument, {
      token: kit.smtp.tokenFor(email, 'activate'),
    });
    expect(verified.data?.verifyAccount.success).toBe(true);

    const session = (await kit.api.request(TokenAuthDocument, { username, password: PASSWORD }, {})).data!
      .tokenAuth;
    await kit.api.gql(
      PasswordChangeDocument,
      { oldPassword: PASSWORD, newPassword1: NEW_PASSWORD, newPassword2: NEW_PASSWORD },
      { token: session.token! },
    );
    const french = await waitFor(() =>
      kit.smtp.mails.find((m) => m.to.includes(email) && /modifié/.test(m.subject)),
    );
    expect(french.subject).toBe('Le mot de passe de votre compte Test Site a été modifié');
    expect(french.html).toContain('lang="fr"');

    // Signing in with English asked for changes the preference: the next notice is English.
    const english = (
      await kit.api.request(
        TokenAuthDocument,
        { username, password: NEW_PASSWORD },
        { 'accept-language': 'en-GB' },
      )
    ).data!.tokenAuth;
    await kit.api.gql(
      PasswordChangeDocument,
      { oldPassword: NEW_PASSWORD, newPassword1: PASSWORD, newPassword2: PASSWORD },
      { token: english.token! },
    );
    const notice = await waitFor(() =>
      kit.smtp.mails.find((m) => m.to.includes(email) && /was changed/.test(m.subject)),
    );
    expect(notice.subject).toBe('Your Test Site password was changed');
  });

  it('every security notice reaches a French-speaking user in French', async () => {
    const username = `frn${Date.now().toString(36)}`;
    const email = `${username}@example.com`;
    const french = { 'accept-language': 'fr-FR,fr;q=0.9' };
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0';
    const chrome =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
    await register(username, french);
    await kit.api.gql(VerifyAccountDocument, { token: kit.smtp.tokenFor(email, 'activate') });
    const signIn = async (headers: Record<string, string>, password = PASSWORD) =>
      (await kit.api.request(TokenAuthDocument, { username, password }, { ...french, ...headers })).data!
        .tokenAuth;
    const noticeIn = async (address: string, subject: string) => {
      const mail = await waitFor(() =>
        kit.smtp.mails.find((m) => m.to.includes(address) && m.subject === subject),
      );
      expect(mail.html).toContain('lang="fr"');
      return mail;
    };

    // Sign-in from a new device (the first sign-in is not one).
    const session = await signIn({ 'user-agent': firefox, 'x-forwarded-for': '203.0.113.7' });
    await signIn({ 'user-agent': chrome, 'x-forwarded-for': '198.51.100.7' });
    const device = await noticeIn(email, 'Nouvelle connexion à votre compte Test Site');
    expect(device.text).toContain('Chrome 131 sous Windows, réseau 198.51.100.0/24');
    expect(device.html).toContain('Chrome 131 sous Windows');
    // A system without a browser we know: the words around it are French too.
    await signIn({
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Obscure/3.1',
      'x-forwarded-for': '192.0.2.7',
    });
    const unknown = await waitFor(() =>
      kit.smtp.mails.find((m) => m.to.includes(email) && m.text.includes('192.0.2.0/24')),
    );
    expect(unknown.subject).toBe('Nouvelle connexion à votre compte Test Site');
    expect(unknown.text).toContain('navigateur inconnu sous Linux, réseau 192.0.2.0/24');

    // Refresh-token reuse: the successor served a request, then the old token came back.
    const rotated = await kit.api.gql(RefreshTokenDocument, { refreshToken: session.refreshToken! });
    await kit.api.gql(MeDocument, {}, { token: rotated.data!.refreshToken.token! });
    kit.api.clock.advance(10_001);
    await kit.api.gql(RefreshTokenDocument, { refreshToken: session.refreshToken! });
    await noticeIn(email, 'Nous avons fermé une session de votre compte Test Site');

    // Primary email changed: to the old address.
    const current = await signIn({ 'user-agent': chrome, 'x-forwarded-for': '198.51.100.7' });
    const second = `${username}.second@example.com`;
    await addSecondaryEmail(kit, { token: current.token! }, second);
    const swapped = await kit.api.gql(SwapEmailsDocument, { password: PASSWORD }, { token: current.token! });
    expect(swapped.data?.swapEmails.success).toBe(true);
    await noticeIn(email, 'L’adresse e-mail de votre compte Test Site a été modifiée');

    // Password changed: to the account's (now swapped) primary address.
    await kit.api.gql(
      PasswordChangeDocument,
      { oldPassword: PASSWORD, newPassword1: NEW_PASSWORD, newPassword2: NEW_PASSWORD },
      { token: current.token! },
    );
    await noticeIn(second, 'Le mot de passe de votre compte Test Site a été modifié');
  });
});

async function waitFor<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const found = find();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('not found in time');
}
