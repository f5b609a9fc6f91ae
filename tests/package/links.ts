// The links of the Markdown pages a package ships, and whether each lands inside the package.
import { posix } from "node:path";

/** A relative link (or image) of a page that leads nowhere in the package, and why. */
export interface BrokenLink {
  page: string;
  target: string;
  reason: string;
}

/**
 * The page's text with code removed: links shown in fenced blocks or `code spans` are
 * examples, not links a reader can follow.
 */
function withoutCode(markdown: string): string {
  return markdown.replace(/^( *)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm, "").replace(/(`+)(?:(?!\n\n)[\s\S])*?\1(?!`)/g, "");
}

/** Every link and image target of a page: inline, reference definitions and HTML `src`/`href`. */
export function linkTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  const inline = [...text.matchAll(/\]\(\s*<?([^()\s<>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)].map((match) => match[1] ?? "");
  const references = [...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/gm)].map((match) => match[1] ?? "");
  const html = [...text.matchAll(/<(?:img|a|source)\b[^>]*?\s(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((match) => match[1] ?? "");
  return [...inline, ...references, ...html];
}

/**
 * The anchor GitHub and npm give a heading: its text as rendered, lower-cased, without
 * punctuation, each space a hyphen.
 */
function slug(heading: string): string {
  // Inside `code` everything is text; outside it, links show their text and tags nothing.
  const rendered = heading
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") ? part.slice(1, -1) : part.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/<[^>]+>/g, "").replace(/\*\*|__|\*/g, "")))
    .join("");
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\s-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a page's headings, numbered as GitHub numbers repeats (`-1`, `-2`). */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutFences(markdown).matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(match[1] ?? "");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count ? `${base}-${count}` : base);
  }
  return anchors;
}

function withoutFences(markdown: string): string {
  return markdown.replace(/^( *)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm, "");
}

/**
 * The relative links of `pages` (path in the package → Markdown) that do not lead to a file
 * in `files`, or to a heading of the page they name. Links with a scheme (`https:`,
 * `mailto:`) are someone else's.
 */
export function brokenLinks(pages: Record<string, string>, files: readonly string[]): BrokenLink[] {
  const shipped = new Set(files);
  const broken: BrokenLink[] = [];
  for (const [page, markdown] of Object.entries(pages)) {
    for (const target of linkTargets(markdown)) {
      if (/^[a-z][a-z\d+.-]*:|^\/\//i.test(target)) continue;
      const [pathPart = "", fragment] = target.split("#", 2);
      const path = decodeURIComponent(pathPart.split("?")[0] ?? "");
      const file = path ? posix.normalize(posix.join(posix.dirname(page), path)) : page;
      if (path.startsWith("/") || file.startsWith("../")) broken.push({ page, target, reason: "leads outside the package" });
      else if (!shipped.has(file)) broken.push({ page, target, reason: `${file} is not in the package` });
      else if (fragment && file.endsWith(".md") && pages[file] !== undefined && !anchorsOf(pages[file]).has(decodeURIComponent(fragment))) {
        broken.push({ page, target, reason: `${file} has no heading #${fragment}` });
      }
    }
  }
  return broken;
}
