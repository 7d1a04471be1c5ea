import type { MailTemplate, MailTemplateName } from './mail-template-names.js';

const greeting = 'Bonjour {{user.username}},';

function html(body: string): string {
  return `<!doctype html>
<html lang="fr">
  <body style="font-family: sans-serif; line-height: 1.5">
${body}
    <p>— {{siteName}}</p>
  </body>
</html>
`;
}

function button(label: string): string {
  return `    <p><a href="{{link}}">${label}</a></p>
    <p>Ou collez ce lien dans votre navigateur : {{link}}</p>`;
}

const ignore = 'Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail.';
const notMe =
  'Si ce n’était pas vous, réinitialisez votre mot de passe dès maintenant avec ce lien : toutes les sessions seront fermées.';

/** Plain text and HTML from one French body: the paragraphs, then the link (or a button for it). */
function message(subject: string, paragraphs: string[], action: string, after: string[] = []): MailTemplate {
  return {
    subject,
    text: `${greeting}\n\n${paragraphs.join('\n\n')}\n\n{{link}}\n${after.length ? `\n${after.join('\n\n')}\n` : ''}`,
    html: html(
      [
        `    <p>${greeting}</p>`,
        ...paragraphs.map((p) => `    <p>${p}</p>`),
        button(action),
        ...after.map((p) => `    <p>${p}</p>`),
      ].join('\n'),
    ),
  };
}

/** The built-in messages in French. `MAIL_TEMPLATES_DIR` overrides the English ones only. */
export const defaultTemplatesFr: Record<MailTemplateName, MailTemplate> = {
  activation: message(
    'Activez votre compte {{siteName}}',
    ['Bienvenue sur {{siteName}}. Activez votre compte avec ce lien (valable {{validFor}}) :'],
    'Activer mon compte',
    [ignore],
  ),
  'activation-resend': message(
    'Votre nouveau lien d’activation {{siteName}}',
    ['Voici un nouveau lien d’activation (valable {{validFor}}). Les liens précédents ne fonctionnent plus.'],
    'Activer mon compte',
    [ignore],
  ),
  'password-reset': message(
    'Réinitialisez votre mot de passe {{siteName}}',
    ['Choisissez un nouveau mot de passe avec ce lien (valable {{validFor}}, utilisable une fois) :'],
    'Réinitialiser mon mot de passe',
    [`${ignore} Votre mot de passe reste le même.`],
  ),
  'password-set': message(
    'Définissez votre mot de passe {{siteName}}',
    ['Votre compte {{siteName}} est prêt. Choisissez son mot de passe avec ce lien (valable {{validFor}}) :'],
    'Définir mon mot de passe',
    [ignore],
  ),
  'secondary-email-activation': message(
    'Confirmez votre e-mail secondaire pour {{siteName}}',
    ['Confirmez {{email}} comme e-mail secondaire de votre compte {{siteName}} (valable {{validFor}}) :'],
    'Confirmer cette adresse',
    [ignore],
  ),
  'notice-password-changed': message(
    'Le mot de passe de votre compte {{siteName}} a été modifié',
    [
      'Le mot de passe de votre compte {{siteName}} a été modifié le {{occurredAt}}. Toutes les autres sessions ont été fermées.',
      notMe,
    ],
    'Sécuriser mon compte',
  ),
  'notice-email-changed': message(
    'L’adresse e-mail de votre compte {{siteName}} a été modifiée',
    [
      'Le {{occurredAt}}, l’adresse e-mail principale de votre compte {{siteName}} est passée de cette adresse à une autre. Les messages du compte y sont désormais envoyés.',
      notMe,
    ],
    'Sécuriser mon compte',
  ),
  'notice-new-device': message(
    'Nouvelle connexion à votre compte {{siteName}}',
    [
      'Une connexion à votre compte {{siteName}} a eu lieu le {{occurredAt}} depuis un appareil inconnu : {{device}}, réseau {{network}}.',
      `Si c’était vous, il n’y a rien à faire. ${notMe}`,
    ],
    'Sécuriser mon compte',
  ),
  'notice-refresh-reuse': message(
    'Nous avons fermé une session de votre compte {{siteName}}',
    [
      'Le {{occurredAt}}, un jeton de connexion de votre compte {{siteName}} a été réutilisé après avoir été remplacé, ce qui arrive lorsqu’un jeton est copié. Nous avons fermé cette session ; il faudra peut-être vous reconnecter sur un appareil.',
      'Si vous ne vous y attendiez pas, changez votre mot de passe :',
    ],
    'Sécuriser mon compte',
  ),
};
