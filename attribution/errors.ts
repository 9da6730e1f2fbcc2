/** Bad input to the engine: an unreadable index, a duplicate document, a wrong parameter. */
export class AttributionError extends Error {
  override name = "AttributionError";
}
