/**
 * Parses a webhook body without losing precision: Shopify ids can exceed 2^53, so every
 * integer literal of 16 or more digits becomes a string before JSON.parse sees it.
 * Throws SyntaxError on malformed JSON, like JSON.parse.
 */
export function parseWebhookJson(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text));
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
