/**
 * Scoring: from a model output to per-contribution weights, in words of the output.
 *
 * 1. Words. The output is cut into words with the index's normalisation (text.ts); each keeps its offsets
 *    in the original text. Weights count words, so a hex hash or an option list weighs what its words do.
 * 2. Seeds. Every run of `seedWords` consecutive output words is a seed; each shard lists where it occurs
 *    (its suffix array, one binary search per word). Counts are summed over all shards. A seed found more
 *    than `maxSeedOccurrences` times in the index is common text: dropped.
 * 3. Evidence by rarity. A seed found c times gives each occurrence ⌊seedEvidence / c⌋: the ∞-gram view
 *    (Infini-gram) that a span seen c times was drawn from any one of its occurrences with probability 1/c.
 *    A passage unique to one contribution is strong evidence for it; one shared by near-duplicates is split.
 * 4. Chains (seed-and-extend, as BLAST and minimap2 do). In each contribution, occurrences of consecutive
 *    seeds on the same diagonal (offset in the contribution − offset in the output) merge into exact
 *    matches; exact matches in the same order in output and contribution, at most `maxGapWords` apart in
 *    both, chain together. A chain's evidence is the sum of its seeds' (each output word counted once) less
 *    `gapCost` per word bridged and `shiftCost` per word of diagonal shift. A paraphrase that replaces one
 *    word in seven still chains end to end; a filler sentence between two quotes does not.
 * 5. Regions. Chains with at least `minChainEvidence` claim the output words from their first to their last
 *    matched word, best evidence first. A chain that lost words to a better one is re-scored on what is
 *    left (lazy greedy). Chains tied on evidence over the same words (exact or near duplicates with no word
 *    to tell them apart) share those words equally; more than `maxDocumentsPerRegion` of them make it
 *    common text, credited to nobody.
 * 6. Weights. weight(c) = Σ over its regions of ⌊words × 1e18 / (sharers × output words)⌋: the fraction of
 *    the output it accounts for, summing to at most 1e18. A contribution that may not earn keeps its share
 *    unpaid. Weights under the router's threshold are left out, as the router would pay them nothing.
 *
 * Integers only: the same index and text give byte-identical weights on any machine.
 */
import { keccak256, toUtf8Bytes } from "ethers";

import {
  AttributionError,
  DEFAULT_PARAMETERS,
  checkParameters,
  indexCommitment,
  type AttributionIndex,
  type EngineParameters,
} from "./corpus.js";
import { anchorShard, seedShard } from "./shard.js";
import { segment } from "./text.js";

/** 1e18 = 100%, as the router's weights. */
export const WEIGHT_ONE = 10n ** 18n;
export const DEFAULT_THRESHOLD = 10n ** 16n;
/** @deprecated The minimum span is the seed length, in words: DEFAULT_PARAMETERS.seedWords. */
export const DEFAULT_MIN_SPAN = DEFAULT_PARAMETERS.seedWords;
/** @deprecated DEFAULT_PARAMETERS.maxDocumentsPerRegion. */
export const DEFAULT_MAX_DOCUMENTS_PER_SPAN = DEFAULT_PARAMETERS.maxDocumentsPerRegion;

export interface AttributionOptions {
  /** Scoring parameters to override (they change the commitment the result names). */
  parameters?: Partial<EngineParameters>;
  /** Shortest exact match that counts, in words: parameters.seedWords. */
  minSpan?: number;
  /** Same as parameters.maxDocumentsPerRegion. */
  maxDocumentsPerSpan?: number;
  /** The router's attribution threshold, 1e18 = 100% (default 1e16, 1%). */
  threshold?: bigint;
  /** Whether a document may earn (default: all may). */
  eligible?: (contributionId: bigint, datanetId: bigint) => boolean;
}

/** An exact match inside a credited region. */
export interface ExactSpan {
  /** Output words [start, end). */
  start: number;
  end: number;
  /** The same passage in the original output text: text.slice(textStart, textEnd). */
  textStart: number;
  textEnd: number;
  /** Word offset of the match in the contribution (in the first one, for a shared region). */
  documentOffset: number;
}

/** A stretch of the output credited to one contribution, or shared by several, or common text. */
export interface CreditedRegion {
  /** Output words [start, end) the chain covers; `words` of them were credited to it. */
  start: number;
  end: number;
  textStart: number;
  textEnd: number;
  words: number;
  /** Its evidence when it was credited. */
  evidence: number;
  /** Contributions sharing it (ascending; empty for common text). */
  contributionIds: bigint[];
  common: boolean;
  /** Its exact matches (those of the first contribution, for a shared region). */
  spans: ExactSpan[];
}

/** @deprecated The first engine's name for a credited stretch of output. */
export type MatchedSpan = CreditedRegion;

export interface ContributionScore {
  contributionId: bigint;
  datanetId: bigint;
  /** Regions credited to it. */
  spans: number;
  /** Output words credited to those regions, before sharing. */
  words: number;
  weight: bigint;
  eligible: boolean;
  reported: boolean;
}

export interface Attribution {
  /** keccak256 of the output's UTF-8 bytes. */
  outputHash: string;
  /** The commitment of the index and parameters that produced these weights. */
  indexCommitment: string;
  outputWords: number;
  /** Output words credited to some region (common text included). */
  matchedWords: number;
  /** @deprecated outputWords (the engine counts words now). */
  outputTokens: number;
  /** @deprecated matchedWords. */
  matchedTokens: number;
  regions: CreditedRegion[];
  /** @deprecated regions. */
  spans: CreditedRegion[];
  scores: ContributionScore[];
  weights: { contributionId: bigint; weight: bigint }[];
  attributed: bigint;
}

/** keccak256 of `text`'s UTF-8 bytes, as a 0x bytes32: what a signed report names as its output. */
export function outputHash(text: string): string {
  return keccak256(toUtf8Bytes(text));
}

/** Exact matches of one contribution: seeds first..last on one diagonal. */
interface Run {
  doc: number;
  first: number;
  last: number;
  /** Contribution offset of seed `first`. */
  offset: number;
}

interface Chain {
  id: number;
  doc: number;
  runs: Run[];
  /** Evidence lost to gaps and shifts. */
  cost: number;
  evidence: number;
  start: number;
  end: number;
}

/** Merges anchors into runs and chains them within each document (seed-and-extend). */
function chainDocuments(
  anchorSeed: Int32Array,
  anchorDoc: Int32Array,
  anchorOffset: Int32Array,
  evidence: Float64Array,
  prefix: Float64Array,
  p: EngineParameters,
): Chain[] {
  const k = p.seedWords;
  const order = Array.from({ length: anchorSeed.length }, (_, i) => i);
  const diag = (i: number) => anchorOffset[i]! - anchorSeed[i]!;
  order.sort((a, b) => anchorDoc[a]! - anchorDoc[b]! || diag(a) - diag(b) || anchorSeed[a]! - anchorSeed[b]!);
  const runsByDoc = new Map<number, Run[]>();
  let current: Run | undefined;
  for (const a of order) {
    const doc = anchorDoc[a]!;
    const seed = anchorSeed[a]!;
    if (
      current !== undefined &&
      current.doc === doc &&
      current.last + 1 === seed &&
      diag(a) === current.offset - current.first
    ) {
      current.last = seed;
      continue;
    }
    current = { doc, first: seed, last: seed, offset: anchorOffset[a]! };
    const list = runsByDoc.get(doc) ?? [];
    list.push(current);
    runsByDoc.set(doc, list);
  }
  const sumSeeds = (from: number, to: number) => (to >= from ? prefix[to + 1]! - prefix[from]! : 0);
  const chains: Chain[] = [];
  const docs = [...runsByDoc.keys()].sort((a, b) => a - b);
  for (const doc of docs) {
    const runs = runsByDoc.get(doc)!;
    runs.sort((a, b) => a.first - b.first || a.offset - b.offset);
    const used = new Uint8Array(runs.length);
    const f = new Float64Array(runs.length);
    const pred = new Int32Array(runs.length);
    const costOf = new Float64Array(runs.length);
    for (;;) {
      let best = -1;
      for (let r = 0; r < runs.length; r++) {
        if (used[r]) continue;
        const run = runs[r]!;
        f[r] = sumSeeds(run.first, run.last);
        pred[r] = -1;
        costOf[r] = 0;
        const tStart = run.offset;
        const tEnd = run.offset + run.last - run.first + k;
        for (let s = r - 1, seen = 0; s >= 0 && seen < 64; s--) {
          if (used[s]) continue;
          seen++;
          const prev = runs[s]!;
          const pEnd = prev.last + k;
          const ptEnd = prev.offset + prev.last - prev.first + k;
          if (!(prev.first < run.first && prev.last < run.last && prev.offset < tStart && ptEnd < tEnd)) continue;
          const gapQ = run.first - pEnd;
          const gapT = tStart - ptEnd;
          if (gapQ > p.maxGapWords || gapT > p.maxGapWords) continue;
          const shift = Math.abs(tStart - run.first - (prev.offset - prev.first));
          const cost = p.gapCost * Math.max(0, gapQ, gapT) + p.shiftCost * shift;
          const gain = sumSeeds(Math.max(run.first, prev.last + 1), run.last);
          const candidate = f[s]! + gain - cost;
          if (candidate > f[r]!) {
            f[r] = candidate;
            pred[r] = s;
            costOf[r] = costOf[s]! + cost;
          }
        }
        if (best < 0 || f[r]! > f[best]!) best = r;
      }
      if (best < 0 || f[best]! < p.minChainEvidence) break;
      const members: Run[] = [];
      for (let r = best; r >= 0; r = pred[r]!) {
        members.push(runs[r]!);
        used[r] = 1;
      }
      members.reverse();
      chains.push({
        id: chains.length,
        doc,
        runs: members,
        cost: costOf[best]!,
        evidence: f[best]!,
        start: members[0]!.first,
        end: members[members.length - 1]!.last + k,
      });
    }
  }
  return chains;
}

/** A chain's evidence and extent over the words nobody owns yet. */
function rescore(
  chain: Chain,
  owned: Int32Array,
  evidence: Float64Array,
  k: number,
): { evidence: number; start: number; end: number } {
  // free[i]: words i..i+k-1 are all unowned (seed i still counts).
  let total = 0;
  let start = -1;
  let end = -1;
  let lastSeed = -1;
  for (const run of chain.runs) {
    for (let i = Math.max(run.first, lastSeed + 1); i <= run.last; i++) {
      let free = true;
      for (let w = i; w < i + k; w++) {
        if (owned[w] !== -1) {
          free = false;
          break;
        }
      }
      if (!free) continue;
      total += evidence[i]!;
      if (start < 0) start = i;
      end = i + k;
    }
    lastSeed = Math.max(lastSeed, run.last);
  }
  return { evidence: start < 0 ? 0 : total - chain.cost, start, end };
}

interface Entry {
  chain: Chain;
  evidence: number;
}

/** Max-heap of chains by evidence, then earliest start, then document, then id (deterministic). */
class ChainHeap {
  private readonly items: Entry[] = [];
  get size() {
    return this.items.length;
  }
  private before(a: Entry, b: Entry): boolean {
    if (a.evidence !== b.evidence) return a.evidence > b.evidence;
    if (a.chain.start !== b.chain.start) return a.chain.start < b.chain.start;
    if (a.chain.doc !== b.chain.doc) return a.chain.doc < b.chain.doc;
    return a.chain.id < b.chain.id;
  }
  push(e: Entry): void {
    const h = this.items;
    h.push(e);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  peek(): Entry | undefined {
    return this.items[0];
  }
  pop(): Entry | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** The effective parameters of a query. */
export function queryParameters(options: AttributionOptions = {}): EngineParameters {
  const p: EngineParameters = { ...DEFAULT_PARAMETERS, ...options.parameters };
  if (options.minSpan !== undefined) p.seedWords = options.minSpan;
  if (options.maxDocumentsPerSpan !== undefined) p.maxDocumentsPerRegion = options.maxDocumentsPerSpan;
  return checkParameters(p);
}

/** Attributes `output` to the index's contributions (see the rules above). */
export function attribute(index: AttributionIndex, output: string, options: AttributionOptions = {}): Attribution {
  if (typeof output !== "string") throw new AttributionError("The output to attribute must be text.");
  const p = queryParameters(options);
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (threshold < 0n || threshold > WEIGHT_ONE) throw new AttributionError("The threshold must be between 0 and 1e18.");
  const k = p.seedWords;
  const text = segment(output, index.normalization);
  const m = text.words.length;

  // Seeds in every shard, counts summed; then anchors, from every shard, of the seeds rare in the whole index.
  const counts = new Float64Array(m);
  const found = index.shards.map((source) => seedShard(source.load(), text.words, k));
  for (const f of found) for (let i = 0; i < m; i++) counts[i] = counts[i]! + f.counts[i]!;
  const evidence = new Float64Array(m);
  const prefix = new Float64Array(m + 1);
  const wanted = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const c = counts[i]!;
    const rare = c > 0 && c <= p.maxSeedOccurrences;
    wanted[i] = rare ? 1 : 0;
    evidence[i] = rare ? Math.floor(p.seedEvidence / c) : 0;
    prefix[i + 1] = prefix[i]! + evidence[i]!;
  }
  const parts = index.shards.map((source, s) => {
    const a = anchorShard(source.load(), found[s]!, wanted);
    const global = index.shardDocuments[s]!;
    return { ...a, anchorDocument: a.anchorDocument.map((d) => global[d]!) };
  });
  const kept = parts.reduce((n, a) => n + a.anchorSeed.length, 0);
  const anchorSeed = new Int32Array(kept);
  const anchorDoc = new Int32Array(kept);
  const anchorOffset = new Int32Array(kept);
  let at = 0;
  for (const part of parts) {
    anchorSeed.set(part.anchorSeed, at);
    anchorDoc.set(part.anchorDocument, at);
    anchorOffset.set(part.anchorOffset, at);
    at += part.anchorSeed.length;
  }
  const chains = chainDocuments(anchorSeed, anchorDoc, anchorOffset, evidence, prefix, p);

  // Regions, best evidence first (lazy greedy: stored evidence only ever overestimates).
  const owned = new Int32Array(m).fill(-1);
  const heap = new ChainHeap();
  for (const chain of chains) heap.push({ chain, evidence: chain.evidence });
  const regions: CreditedRegion[] = [];
  while (heap.size > 0) {
    const top = heap.pop()!;
    const now = rescore(top.chain, owned, evidence, k);
    if (now.evidence < p.minChainEvidence) continue;
    if (now.evidence !== top.evidence) {
      heap.push({ chain: top.chain, evidence: now.evidence });
      continue;
    }
    top.chain.start = now.start;
    top.chain.end = now.end;
    // Chains tied with it over the same words share them.
    const group = [top.chain];
    const deferred: Entry[] = [];
    while (heap.size > 0 && heap.peek()!.evidence === top.evidence) {
      const next = heap.pop()!;
      const r = rescore(next.chain, owned, evidence, k);
      if (r.evidence === top.evidence && r.start === now.start && r.end === now.end) group.push(next.chain);
      else deferred.push({ chain: next.chain, evidence: r.evidence });
    }
    for (const e of deferred) if (e.evidence >= p.minChainEvidence) heap.push(e);
    const members = [...new Set(group.map((c) => c.doc))].sort((a, b) => a - b);
    const common = members.length > p.maxDocumentsPerRegion;
    let words = 0;
    const regionId = regions.length;
    for (let w = now.start; w < now.end; w++) {
      if (owned[w] === -1) {
        owned[w] = regionId;
        words++;
      }
    }
    const lead = group.find((c) => c.doc === members[0])!;
    regions.push({
      start: now.start,
      end: now.end,
      textStart: text.starts[now.start]!,
      textEnd: text.ends[now.end - 1]!,
      words,
      evidence: now.evidence,
      contributionIds: common ? [] : members.map((d) => index.contributionIds[d]!),
      common,
      spans: lead.runs
        .filter((r) => r.last + k > now.start && r.first < now.end)
        .map((r) => {
          const start = Math.max(r.first, now.start);
          const end = Math.min(r.last + k, now.end);
          return {
            start,
            end,
            textStart: text.starts[start]!,
            textEnd: text.ends[end - 1]!,
            documentOffset: r.offset + (start - r.first),
          };
        }),
    });
  }
  regions.sort((a, b) => a.start - b.start);
  return score(index, output, p, options, threshold, m, regions);
}

function score(
  index: AttributionIndex,
  output: string,
  p: EngineParameters,
  options: AttributionOptions,
  threshold: bigint,
  m: number,
  regions: CreditedRegion[],
): Attribution {
  const byDocument = new Map<bigint, { spans: number; words: number; weight: bigint }>();
  let matchedWords = 0;
  for (const region of regions) {
    matchedWords += region.words;
    if (region.common || region.words === 0) continue;
    const share = (BigInt(region.words) * WEIGHT_ONE) / (BigInt(region.contributionIds.length) * BigInt(m));
    for (const id of region.contributionIds) {
      const s = byDocument.get(id) ?? { spans: 0, words: 0, weight: 0n };
      s.spans += 1;
      s.words += region.words;
      s.weight += share;
      byDocument.set(id, s);
    }
  }
  // Contribution ids are sorted: a binary search finds each one's datanet (no per-query table).
  const datanetOf = (id: bigint): bigint => {
    const ids = index.contributionIds;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return index.documentDatanets[lo]!;
  };
  const scores: ContributionScore[] = [...byDocument].map(([contributionId, s]) => {
    const datanetId = datanetOf(contributionId);
    const eligible = options.eligible?.(contributionId, datanetId) ?? true;
    return {
      contributionId,
      datanetId,
      spans: s.spans,
      words: s.words,
      weight: eligible ? s.weight : 0n,
      eligible,
      reported: eligible && s.weight !== 0n && s.weight >= threshold,
    };
  });
  scores.sort((a, b) =>
    a.weight !== b.weight ? (a.weight > b.weight ? -1 : 1) : a.contributionId < b.contributionId ? -1 : 1,
  );
  const weights = scores
    .filter((s) => s.reported)
    .map((s) => ({ contributionId: s.contributionId, weight: s.weight }))
    .sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1));
  return {
    outputHash: outputHash(output),
    indexCommitment: indexCommitment(index, p),
    outputWords: m,
    matchedWords,
    outputTokens: m,
    matchedTokens: matchedWords,
    regions,
    spans: regions,
    scores,
    weights,
    attributed: weights.reduce((sum, w) => sum + w.weight, 0n),
  };
}

/** "0.25" for 0.25e18: the exact decimal fraction, as `attribution sign` reads it. */
export function formatWeight(weight: bigint): string {
  const whole = weight / WEIGHT_ONE;
  const fraction = (weight % WEIGHT_ONE).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction === "" ? `${whole}` : `${whole}.${fraction}`;
}

/**
 * The weights file `attribution sign` takes, as deterministic JSON text: the inference id as a decimal
 * string (ids are uint256), the output hash and index commitment the report names, and the weights.
 */
export function weightsJson(inferenceId: bigint, attribution: Attribution): string {
  const weights: Record<string, string> = {};
  for (const w of attribution.weights) weights[w.contributionId.toString()] = formatWeight(w.weight);
  return (
    JSON.stringify(
      {
        inferenceId: inferenceId.toString(),
        outputHash: attribution.outputHash,
        indexCommitment: attribution.indexCommitment,
        weights,
      },
      null,
      2,
    ) + "\n"
  );
}
