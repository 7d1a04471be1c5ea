import type { ErrorCode } from '../../../__generated__/schema-types.generated.js';
import { DEFAULT_LOCALE, type Locale } from '../locale.js';
import { errorMessagesFr } from './error-catalogue.fr.js';
import { errorMessages } from './error-catalogue.js';

/** One catalogue per locale, keyed by the SDL's `ErrorCode`. */
export const ERROR_CATALOGUES: Record<Locale, Record<ErrorCode, string>> = {
  en: errorMessages,
  fr: errorMessagesFr,
};

const isEntry = (value: unknown): value is { message: string; code: ErrorCode } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { message?: unknown }).message === 'string' &&
  typeof (value as { code?: unknown }).code === 'string';

/**
 * Translates the expected errors (`{ message, code }` entries of `errors` payloads) of an answer:
 * a message that is the catalogue's own English text for its code becomes the locale's. Messages
 * written for one case (`A user with that email already exists.`) stay as they are. Services keep
 * working in English; only the edge knows the request's locale.
 */
export function localizeExpectedErrors<T>(data: T, locale: Locale): T {
  if (locale === DEFAULT_LOCALE) return data;
  const target = ERROR_CATALOGUES[locale];
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== 'object' || value === null || value instanceof Date) return value;
    if (isEntry(value) && errorMessages[value.code] === value.message && target[value.code]) {
      return { ...value, message: target[value.code] };
    }
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, visit(inner)]));
  };
  return visit(data) as T;
}
