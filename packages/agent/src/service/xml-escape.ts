/** Escape text for an XML element body: `&`, `<` and `>` become entities; quotes stay readable. */
export function xmlEscape(value: string): string {
  return value.replace(/[&<>]/g, (c) => XML_ENTITIES[c]!);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
