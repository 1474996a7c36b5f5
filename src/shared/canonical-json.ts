/**
 * JSON with object keys in sorted order and undefined members left out (as JSON.stringify
 * leaves them out), so two equal values give one text whatever order their keys came in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i ? ',' : '') + canonicalJson(value[i] ?? null);
    return `${text}]`;
  }
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    let text = '{';
    for (const key of Object.keys(object).sort()) {
      if (object[key] === undefined) continue;
      text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(object[key])}`;
    }
    return `${text}}`;
  }
  return JSON.stringify(value ?? null);
}
