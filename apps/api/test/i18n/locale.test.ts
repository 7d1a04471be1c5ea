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
    expect(device.text).toContain('Chrome 131 on Windows');

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
