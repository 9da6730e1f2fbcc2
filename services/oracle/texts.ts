/**
 * Contribution texts, fetched from the URI their contributor registered and checked against the content hash on
 * chain: `file:` URLs, `http(s):` URLs (an IPFS gateway's `https://gateway/ipfs/<cid>` is one), and `ipfs://<cid>`
 * through the configured gateway. A local mirror folder (files named by contribution id) is read first when set.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { keccak256 } from "ethers";

/** Largest contribution text the node fetches (bytes). */
export const MAX_TEXT_BYTES = 16 * 1024 * 1024;

/** What fetching a text gave: the checked text, a mismatch (never indexed), or a failure to retry later. */
export type FetchedText =
  | { kind: "verified"; text: string; source: string }
  | { kind: "mismatch"; source: string; contentHash: string; reason: string }
  | { kind: "unavailable"; reason: string };

export interface TextSource {
  /** Base URL of an IPFS HTTP gateway, e.g. https://ipfs.io (ipfs://<cid> becomes <gateway>/ipfs/<cid>). */
  ipfsGateway: string;
  /** A folder of contribution texts named by id (12, 12.txt), consulted before the URI. */
  mirror?: string;
  /** Milliseconds one HTTP fetch may take. */
  timeoutMs: number;
}

/** The URL an URI is fetched from, or undefined for a scheme the node cannot fetch. */
export function fetchUrl(uri: string, ipfsGateway: string): string | undefined {
  const ipfs = /^ipfs:\/\/(?:ipfs\/)?(.+)$/.exec(uri);
  if (ipfs !== null) return `${ipfsGateway.replace(/\/+$/, "")}/ipfs/${ipfs[1]}`;
  if (/^(https?|file):\/\//.test(uri)) return uri;
  return undefined;
}

async function readMirror(mirror: string, id: bigint): Promise<{ bytes: Uint8Array; source: string } | undefined> {
  for (const name of [`${id}`, `${id}.txt`, `${id}.md`]) {
    const file = path.join(mirror, name);
    try {
      return { bytes: await readFile(file), source: file };
    } catch {
      // Not in the mirror under this name.
    }
  }
  return undefined;
}

async function fetchBytes(url: string, timeoutMs: number): Promise<Uint8Array> {
  if (url.startsWith("file://")) return readFile(fileURLToPath(url));
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_TEXT_BYTES) throw new Error(`${url} is larger than ${MAX_TEXT_BYTES} bytes`);
  return bytes;
}

/** Fetches contribution `id`'s text from `uri` (or the mirror) and checks it against `contentHash`. */
export async function fetchContributionText(
  id: bigint,
  uri: string,
  contentHash: string,
  source: TextSource,
): Promise<FetchedText> {
  let got: { bytes: Uint8Array; source: string } | undefined;
  if (source.mirror !== undefined) got = await readMirror(source.mirror, id);
  if (got === undefined) {
    const url = fetchUrl(uri, source.ipfsGateway);
    if (url === undefined)
      return { kind: "unavailable", reason: `its URI ${uri} is of a scheme the node cannot fetch` };
    try {
      got = { bytes: await fetchBytes(url, source.timeoutMs), source: url };
    } catch (error) {
      return { kind: "unavailable", reason: `fetching ${url} failed: ${(error as Error).message}` };
    }
  }
  const hash = keccak256(got.bytes);
  if (hash.toLowerCase() !== contentHash.toLowerCase()) {
    return {
      kind: "mismatch",
      source: got.source,
      contentHash: hash,
      reason: `the text at ${got.source} hashes to ${hash}, not to the registered ${contentHash}`,
    };
  }
  return { kind: "verified", text: new TextDecoder().decode(got.bytes), source: got.source };
}
