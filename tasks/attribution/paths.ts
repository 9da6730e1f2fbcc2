import path from "node:path";

/** A path as the user would type it from here: relative below the working folder, absolute elsewhere. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative.startsWith("..") || relative === "" ? path.resolve(file) : relative;
}
