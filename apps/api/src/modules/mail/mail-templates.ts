import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultTemplatesFr } from './default-templates.fr.js';
import { defaultTemplates } from './default-templates.js';
import { MAIL_TEMPLATE_NAMES, type MailTemplate, type MailTemplateName } from './mail-template-names.js';

export {
  type AccountMailTemplateName,
  MAIL_TEMPLATE_NAMES,
  type MailTemplate,
  type MailTemplateName,
  NOTICE_TEMPLATE_NAMES,
  type NoticeTemplateName,
} from './mail-template-names.js';

/** Everything a template may use. */
export interface MailVariables {
  user: { username: string; email: string; firstName: string; lastName: string };
  /** `PUBLIC_APP_URL/<path>/<token>`: the front end reads the token from the last path segment. */
  link: string;
  token: string;
  siteName: string;
  publicAppUrl: string;
  /** The address the message goes to (the new secondary address, for its activation). */
  email: string;
  /** How long the link works, in words ("1 hour", "7 days"). */
  validFor: string;
  /** Security notices: when it happened (UTC), from which device and coarse network. */
  occurredAt?: string;
  device?: string;
  network?: string;
}

export const MAIL_VARIABLES = [
  'user.username',
  'user.email',
  'user.firstName',
  'user.lastName',
  'link',
  'token',
  'siteName',
  'publicAppUrl',
  'email',
  'validFor',
  'occurredAt',
  'device',
  'network',
] as const;

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

export type RenderedMail = MailTemplate;

export interface MailTemplates {
  /** In `locale` when it has the message, else in English. */
  render(name: MailTemplateName, variables: MailVariables, locale?: string | null): RenderedMail;
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

function lookup(variables: MailVariables, path: string): string {
  let value: unknown = variables;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : '';
}

function fill(source: string, variables: MailVariables, encode: (value: string) => string): string {
  return source.replace(PLACEHOLDER, (_match, path: string) => encode(lookup(variables, path)));
}

/** Placeholders a template uses that no variable provides (typos would otherwise render as ""). */
export function unknownPlaceholders(source: string): string[] {
  const known = new Set<string>(MAIL_VARIABLES);
  return [...source.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((path) => !known.has(path));
}

/** Renders templates. Values are HTML-escaped in the HTML body; the subject is kept on one line. */
export function createMailTemplates(
  templates: Record<MailTemplateName, MailTemplate>,
  translations: Partial<Record<string, Record<MailTemplateName, MailTemplate>>> = {},
): MailTemplates {
  return {
    render(name, variables, locale) {
      const template = (locale ? translations[locale]?.[name] : undefined) ?? templates[name];
      return {
        subject: fill(template.subject, variables, (value) => value)
          .replace(/\s+/g, ' ')
          .trim(),
        html: fill(template.html, variables, escapeHtml),
        text: fill(template.text, variables, (value) => value),
      };
    },
  };
}

const PARTS = [
  ['subject', 'subject.txt'],
  ['html', 'html'],
  ['text', 'txt'],
] as const;

/**
 * The built-in templates, with any file found in `directory` replacing its part:
 * `<name>.subject.txt`, `<name>.html`, `<name>.txt` (e.g. `password-reset.html`). Read once at
 * start-up; an unknown placeholder in a file is an error, reported for every file at once.
 */
export async function loadMailTemplates(directory: string | null): Promise<MailTemplates> {
  const templates = structuredClone(defaultTemplates);
  if (directory !== null) {
    const problems: string[] = [];
    for (const name of MAIL_TEMPLATE_NAMES) {
      for (const [part, suffix] of PARTS) {
        const file = join(directory, `${name}.${suffix}`);
        const source = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return null;
          throw err;
        });
        if (source === null) continue;
        const unknown = unknownPlaceholders(source);
        if (unknown.length > 0) problems.push(`${file}: unknown placeholder(s) ${unknown.join(', ')}`);
        templates[name][part] = source;
      }
    }
    if (problems.length > 0) throw new Error(`Invalid mail templates:\n  - ${problems.join('\n  - ')}`);
  }
  return createMailTemplates(templates, { fr: defaultTemplatesFr });
}
