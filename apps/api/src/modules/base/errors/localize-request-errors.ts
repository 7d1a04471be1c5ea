import type { RequestErrorCode } from '../../../__generated__/schema-types.generated.js';
import { DEFAULT_LOCALE, type Locale } from '../locale.js';
import { requestErrorMessagesFr } from './request-error-catalogue.fr.js';
import { type RequestErrorCatalogue, requestErrorMessages } from './request-error-catalogue.js';

/** One catalogue per locale, keyed by the SDL's `RequestErrorCode`, then by case. */
export const REQUEST_ERROR_CATALOGUES: Record<Locale, RequestErrorCatalogue> = {
  en: requestErrorMessages,
  fr: requestErrorMessagesFr,
};

const PLACEHOLDER = /\{(\w+)\}/g;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each English message as an anchored pattern whose groups are its placeholders, per code. */
const patterns = new Map(
  Object.entries(requestErrorMessages).map(([code, cases]) => [
    code,
    Object.entries(cases as Record<string, string>).map(([key, template]) => {
      const names: string[] = [];
      const source = escapeRegExp(template).replace(/\\\{(\w+)\\\}/g, (_match, name: string) => {
        names.push(name);
        return '(.+?)';
      });
      return { key, names, pattern: new RegExp(`^${source}$`, 's') };
    }),
  ]),
);

/**
 * A request error's message in `locale`, when it is one of the English catalogue's (its values, a
 * limit or a field name, carried over); any other message unchanged. The code is never touched.
 */
export function localizeRequestMessage(code: unknown, message: string, locale: Locale): string {
  if (locale === DEFAULT_LOCALE || typeof code !== 'string') return message;
  for (const { key, names, pattern } of patterns.get(code) ?? []) {
    const match = pattern.exec(message);
    if (!match) continue;
    const cases = REQUEST_ERROR_CATALOGUES[locale][code as RequestErrorCode] as Record<string, string>;
    const values = Object.fromEntries(names.map((name, index) => [name, match[index + 1] ?? '']));
    return cases[key]?.replace(PLACEHOLDER, (_placeholder, name: string) => values[name] ?? '') ?? message;
  }
  return message;
}

type ErrorEntry = { message?: unknown; extensions?: { code?: unknown } | null };

/** The `errors` of a GraphQL-shaped body (an object or its JSON text), messages in `locale`. */
export function localizeRequestErrors<T extends { errors?: readonly ErrorEntry[] }>(
  body: T,
  locale: Locale,
): T {
  if (locale === DEFAULT_LOCALE || !Array.isArray(body.errors)) return body;
  return {
    ...body,
    errors: body.errors.map((error: ErrorEntry) =>
      typeof error?.message === 'string'
        ? { ...error, message: localizeRequestMessage(error.extensions?.code, error.message, locale) }
        : error,
    ),
  };
}

/** The same over a response's JSON text; text that is not a GraphQL body with errors is returned as is. */
export function localizeRequestErrorsText(text: string, locale: Locale): string {
  if (locale === DEFAULT_LOCALE || !text.includes('"errors"')) return text;
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null || !Array.isArray((body as { errors?: unknown }).errors))
      return text;
    return JSON.stringify(localizeRequestErrors(body as { errors: ErrorEntry[] }, locale));
  } catch {
    return text;
  }
}
