import type { MailTemplate, MailTemplateName } from './mail-template-names.js';

const greeting = 'Hello {{user.username}},';

function html(body: string): string {
  return `<!doctype html>
<html>
  <body style="font-family: sans-serif; line-height: 1.5">
${body}
    <p>— {{siteName}}</p>
  </body>
</html>
`;
}

function button(label: string): string {
  return `    <p><a href="{{link}}">${label}</a></p>
    <p>Or paste this link into your browser: {{link}}</p>`;
}

const ignore = 'If you did not ask for this, you can ignore this email.';
const notMe = 'If this was not you, reset your password now with this link: it signs every session out.';

/**
 * The built-in messages. Override any part of any of them by dropping a file in the templates
 * directory (`MAIL_TEMPLATES_DIR`): `<name>.subject.txt`, `<name>.html`, `<name>.txt`.
 */
export const defaultTemplates: Record<MailTemplateName, MailTemplate> = {
  activation: {
    subject: 'Activate your {{siteName}} account',
    text: `${greeting}\n\nWelcome to {{siteName}}. Activate your account with this link (valid for {{validFor}}):\n\n{{link}}\n\n${ignore}\n`,
    html: html(
      `    <p>${greeting}</p>\n    <p>Welcome to {{siteName}}. Activate your account (the link is valid for {{validFor}}):</p>\n${button('Activate my account')}\n    <p>${ignore}</p>`,
    ),
  },
  'activation-resend': {
    subject: 'Your new {{siteName}} activation link',
    text: `${greeting}\n\nHere is a new activation link (valid for {{validFor}}). Earlier links no longer work.\n\n{{link}}\n\n${ignore}\n`,
    html: html(
      `    <p>${greeting}</p>\n    <p>Here is a new activation link (valid for {{validFor}}). Earlier links no longer work.</p>\n${button('Activate my account')}\n    <p>${ignore}</p>`,
    ),
  },
  'password-reset': {
    subject: 'Reset your {{siteName}} password',
    text: `${greeting}\n\nChoose a new password with this link (valid for {{validFor}}, usable once):\n\n{{link}}\n\n${ignore} Your password stays the same.\n`,
    html: html(
      `    <p>${greeting}</p>\n    <p>Choose a new password with this link (valid for {{validFor}}, usable once):</p>\n${button('Reset my password')}\n    <p>${ignore} Your password stays the same.</p>`,
    ),
  },
  'password-set': {
    subject: 'Set your {{siteName}} password',
    text: `${greeting}\n\nYour {{siteName}} account is ready. Choose its password with this link (valid for {{validFor}}):\n\n{{link}}\n\n${ignore}\n`,
    html: html(
      `    <p>${greeting}</p>\n    <p>Your {{siteName}} account is ready. Choose its password (the link is valid for {{validFor}}):</p>\n${button('Set my password')}\n    <p>${ignore}</p>`,
    ),
  },
  'secondary-email-activation': {
    subject: 'Confirm your secondary email for {{siteName}}',
    text: `${greeting}\n\nConfirm {{email}} as the secondary email of your {{siteName}} account (valid for {{validFor}}):\n\n{{link}}\n\n${ignore}\n`,
    html: html(
      `    <p>${greeting}</p>\n    <p>Confirm {{email}} as the secondary email of your {{siteName}} account (valid for {{validFor}}):</p>\n${button('Confirm this address')}\n    <p>${ignore}</p>`,
    ),
  },
  // Security notices. `{{link}}` is where to secure the account: the password reset page.
  'notice-password-changed': {
    subject: 'Your {{siteName}} password was changed',
    text: `${greeting}\n\nThe password of your {{siteName}} account was changed on {{occurredAt}}. Every other session was signed out.\n\n${notMe}\n\n{{link}}\n`,
    html: html(
      `    <p>${greeting}</p>\n    <p>The password of your {{siteName}} account was changed on {{occurredAt}}. Every other session was signed out.</p>\n    <p>${notMe}</p>\n${button('Secure my account')}`,
    ),
  },
  'notice-email-changed': {
    subject: 'The email address of your {{siteName}} account was changed',
    text: `${greeting}\n\nOn {{occurredAt}} the primary email address of your {{siteName}} account was changed from this address to another one. Mail about the account now goes there.\n\n${notMe}\n\n{{link}}\n`,
    html: html(
      `    <p>${greeting}</p>\n    <p>On {{occurredAt}} the primary email address of your {{siteName}} account was changed from this address to another one. Mail about the account now goes there.</p>\n    <p>${notMe}</p>\n${button('Secure my account')}`,
    ),
  },
  'notice-new-device': {
    subject: 'New sign-in to your {{siteName}} account',
    text: `${greeting}\n\nYour {{siteName}} account was signed in to on {{occurredAt}} from a device we had not seen: {{device}}, network {{network}}.\n\nIf this was you, there is nothing to do. ${notMe}\n\n{{link}}\n`,
    html: html(
      `    <p>${greeting}</p>\n    <p>Your {{siteName}} account was signed in to on {{occurredAt}} from a device we had not seen: {{device}}, network {{network}}.</p>\n    <p>If this was you, there is nothing to do. ${notMe}</p>\n${button('Secure my account')}`,
    ),
  },
  'notice-refresh-reuse': {
    subject: 'We signed a session of your {{siteName}} account out',
    text: `${greeting}\n\nOn {{occurredAt}} a sign-in token of your {{siteName}} account was used again after it had been replaced, which happens when a token is copied. We ended that session; you may need to sign in again on one device.\n\nIf you did not expect this, change your password:\n\n{{link}}\n`,
    html: html(
      `    <p>${greeting}</p>\n    <p>On {{occurredAt}} a sign-in token of your {{siteName}} account was used again after it had been replaced, which happens when a token is copied. We ended that session; you may need to sign in again on one device.</p>\n    <p>If you did not expect this, change your password:</p>\n${button('Secure my account')}`,
    ),
  },
};
