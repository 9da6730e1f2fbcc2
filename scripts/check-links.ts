/**
 * `npm run lint:links`: every relative link and anchor of the repository's Markdown files resolves inside the
 * repository. A link to a path must name a file or folder that exists and stays inside the repository (a clone has
 * nothing beside it); a `#fragment` must name a heading of the target file as GitHub slugs it (or an explicit
 * `<a id>`). Links with a scheme (https:, mailto:) are left alone. Code spans and fenced code are not links.
 *
 * Run with Node's own TypeScript support (`node scripts/check-links.ts`): it needs no Hardhat and no build.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
/** Generated or installed folders, never documentation of this repository. */
const SKIPPED = new Set([".git", "node_modules", "artifacts", "cache", "types", "coverage", "dist"]);

function markdownFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) {
        found.push(...markdownFiles(path.join(dir, entry.name)));
      }
    } else if (entry.name.endsWith(".md")) {
      found.push(path.join(dir, entry.name));
    }
  }
  return found;
}

/** The text without fenced code blocks and code spans, line numbers kept. */
function withoutCode(text: string): string {
  const lines = text.split("\n");
  let fence: string | undefined;
  return lines
    .map((line) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence !== undefined) {
        if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
        return "";
      }
      if (marker !== undefined) {
        fence = marker;
        return "";
      }
      return line.replace(/(`+)[\s\S]*?\1/g, "");
    })
    .join("\n");
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function slugs(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) if (match[1] !== undefined) anchors.add(match[1]);
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const plain = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<[^>]+>/g, "")
      .replace(/[*_`]/g, "");
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every link target of a Markdown text, with its line: inline links and images, reference definitions, HTML. */
function links(text: string): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  withoutCode(text)
    .split("\n")
    .forEach((line, i) => {
      const patterns = [
        /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
        /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g,
      ];
      patterns.push(/\b(?:href|src)="([^"]+)"/g);
      for (const pattern of patterns)
        for (const match of line.matchAll(pattern))
          if (match[1] !== undefined) found.push({ target: match[1], line: i + 1 });
    });
  return found;
}

const problems: string[] = [];
const anchorCache = new Map<string, Set<string>>();
const anchorsOf = (file: string): Set<string> => {
  let anchors = anchorCache.get(file);
  if (anchors === undefined) {
    anchors = slugs(readFileSync(file, "utf8"));
    anchorCache.set(file, anchors);
  }
  return anchors;
};

const files = markdownFiles(root);
for (const file of files) {
  const name = path.relative(root, file);
  for (const { target, line } of links(readFileSync(file, "utf8"))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const hash = target.indexOf("#");
    const linkPath = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const fragment = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const resolved =
      linkPath === ""
        ? file
        : path.resolve(linkPath.startsWith("/") ? root : path.dirname(file), `.${path.sep}${linkPath}`);
    const where = `${name}:${line}: ${target}`;
    if (path.relative(root, resolved).startsWith("..")) {
      problems.push(`${where} points outside the repository.`);
      continue;
    }
    if (!existsSync(resolved)) {
      problems.push(`${where}: ${path.relative(root, resolved)} does not exist.`);
      continue;
    }
    if (fragment === undefined || fragment === "") continue;
    if (!statSync(resolved).isFile() || !resolved.endsWith(".md")) {
      problems.push(`${where}: an anchor needs a Markdown file.`);
    } else if (!anchorsOf(resolved).has(fragment)) {
      problems.push(`${where}: ${path.relative(root, resolved)} has no heading with the anchor #${fragment}.`);
    }
  }
}

if (problems.length !== 0) {
  console.error(`Broken links in the Markdown files:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  process.exitCode = 1;
} else {
  console.log(`Every relative link and anchor of ${files.length} Markdown files resolves inside the repository.`);
}
