/**
 * Parses a webhook body without losing precision: Shopify ids can exceed 2^53, so every
 * integer literal of 16 or more digits becomes a string before JSON.parse sees it. Total over
 * text: a lone surrogate (`"\ud800"` is valid JSON but not text) becomes U+FFFD in every
 * string and key, so nothing downstream (URLs, the database, Klaviyo) chokes on it.
 * Throws SyntaxError on malformed JSON, like JSON.parse.
 */
export function parseWebhookJson(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text), (_key, value: unknown) =>
    typeof value === "string" ? wellFormed(value) : isObject(value) ? withWellFormedKeys(value) : value,
  );
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string with each unpaired UTF-16 surrogate replaced by U+FFFD, as TextEncoder would. */
export const wellFormed = (value: string): string => value.replace(LONE_SURROGATE, "\ufffd");

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function withWellFormedKeys(value: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(value).every((key) => wellFormed(key) === key)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [wellFormed(key), field]));
}

export function quoteLongIntegers(text: string): string {
  let result = "";
  let copiedUpTo = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (char === "-" || (char >= "0" && char <= "9")) {
      let end = index + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end])) end++;
      const literal = text.slice(index, end);
      if (/^-?\d{16,}$/.test(literal)) {
        result += `${text.slice(copiedUpTo, index)}"${literal}"`;
        copiedUpTo = end;
      }
      index = end - 1;
    }
  }
  return result + text.slice(copiedUpTo);
}
