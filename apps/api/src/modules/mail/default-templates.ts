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
};
