import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultTemplates } from './default-templates.js';
import {
  loadMailTemplates,
  MAIL_TEMPLATE_NAMES,
  type MailVariables,
  unknownPlaceholders,
} from './mail-templates.js';

const variables: MailVariables = {
  user: { username: 'ada<script>', email: 'ada@example.com', firstName: 'Ada', lastName: 'L' },
  link: 'http://app.test/activate/tok123',
  token: 'tok123',
  siteName: 'Site & Co',
  publicAppUrl: 'http://app.test',
  email: 'ada@example.com',
  validFor: '7 days',
};

describe('mail templates', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('every built-in template has a subject, an HTML and a text body with the link, and no unknown placeholder', async () => {
    const templates = await loadMailTemplates(null);
    for (const name of MAIL_TEMPLATE_NAMES) {
      const template = defaultTemplates[name];
      for (const part of [template.subject, template.html, template.text]) {
        expect(unknownPlaceholders(part)).toEqual([]);
      }
      const mail = templates.render(name, variables);
      expect(mail.subject).toContain('Site & Co');
      expect(mail.subject).not.toMatch(/\n|\{\{/);
      expect(mail.text).toContain(variables.link);
      expect(mail.text).toContain('ada<script>');
      expect(mail.html).toContain(`href="${variables.link}"`);
      // Values are escaped in HTML only.
      expect(mail.html).toContain('ada&lt;script&gt;');
      expect(mail.html).toContain('Site &amp; Co');
      expect(mail.html).not.toContain('<script>');
    }
  });

  it('replaces parts of a template from the templates directory, keeping the others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mail-templates-'));
    dirs.push(dir);
    await writeFile(join(dir, 'password-reset.subject.txt'), 'Reset for {{ user.firstName }}\n');
    await writeFile(join(dir, 'password-reset.html'), '<p>Go: <a href="{{link}}">{{siteName}}</a></p>');
    const templates = await loadMailTemplates(dir);
    const mail = templates.render('password-reset', variables);
    expect(mail.subject).toBe('Reset for Ada');
    expect(mail.html).toBe('<p>Go: <a href="http://app.test/activate/tok123">Site &amp; Co</a></p>');
    expect(mail.text).toContain('Choose a new password');
    // Other templates are untouched.
    expect(templates.render('activation', variables).subject).toBe('Activate your Site & Co account');
  });

  it('refuses template files with unknown placeholders, naming every one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mail-templates-'));
    dirs.push(dir);
    await writeFile(join(dir, 'activation.txt'), '{{ lnk }} {{user.password}}');
    await writeFile(join(dir, 'password-set.html'), '{{siteNam}}');
    await expect(loadMailTemplates(dir)).rejects.toThrow(
      /activation\.txt: unknown placeholder\(s\) lnk, user\.password[\s\S]*password-set\.html: unknown placeholder\(s\) siteNam/,
    );
  });
});
