/** Escape text for an XML element body or a double-quoted attribute. */
export function xmlEscape(value: string): string {
  return value.replace(/[&<>"]/g, (c) => XML_ENTITIES[c]!);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
