/** The locales messages and emails exist in; English is the fallback of everything. */
export const SUPPORTED_LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

const isSupported = (tag: string): tag is Locale => (SUPPORTED_LOCALES as readonly string[]).includes(tag);

/**
 * The best supported locale an `Accept-Language` header asks for (`fr-CA;q=0.9, en;q=0.8` -> `fr`),
 * by quality then order; null when it names none we have (the caller falls back).
 */
export function negotiateLocale(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranges = header
    .split(',')
    .slice(0, 20) // a header is a short list; never parse an unbounded one
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return {
        tag: range.trim().toLowerCase().split('-')[0] ?? '',
        q: q === undefined ? 1 : Number(q),
        index,
      };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.map((range) => range.tag).find(isSupported) ?? null;
}

/** A stored preference, when it is still one we support. */
export const supportedLocale = (value: string | null | undefined): Locale | null =>
  value && isSupported(value) ? value : null;
