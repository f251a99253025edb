/** Pure helpers of the admin forms: suggested slugs and keys, and positions after a move. */

/** Latin letters without their accents ("Ștefan Łódź" → "stefan lodz"); other scripts are left as they are. */
const plainLatin = (text: string) =>
  text.normalize("NFKD").replace(/\p{M}/gu, "").replace(/[łŁ]/g, "l").toLowerCase();

/** A slug suggested from the name: Latin letters and digits ("Cafea Ștefan" → cafea-stefan). */
export const slugFrom = (name: string) =>
  plainLatin(name)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50)
    .replace(/-+$/, "");

/** A key suggested from a name: lower-case Latin letters, digits and underscores, starting with a letter. */
export const keyFrom = (name: string) =>
  plainLatin(name)
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .slice(0, 50)
    .replace(/_+$/, "");

/** Positions for a list after moving one entry a step: only the entries whose position changed. */
export function moved<T extends { id: string; position: number }>(
  list: readonly T[],
  index: number,
  step: -1 | 1,
): Array<{ id: string; position: number }> {
  const order = [...list];
  const [item] = order.splice(index, 1);
  if (!item) return [];
  order.splice(index + step, 0, item);
  return order
    .map((entry, position) => ({ id: entry.id, position }))
    .filter((e, i) => order[i]?.position !== e.position);
}
