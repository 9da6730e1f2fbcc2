/**
 * Scoring: from the longest corpus matches of a model output to per-contribution weights.
 *
 * 1. Matching statistics: for each output token i, the longest span output[i, i + ℓᵢ) found in the corpus
 *    (an ∞-gram lookup: binary search on the suffix array).
 * 2. Spans: the maximal matches (ℓᵢ ≥ ℓᵢ₋₁, i.e. not inside the previous match) of at least `minSpan` tokens.
 * 3. Each output token is credited to the longest span covering it (the earliest on a tie), so a token
 *    counts once however many spans overlap it. A span's credit is the number of tokens it was given.
 * 4. A span's credit is split equally among the distinct documents containing it: a span found in one
 *    contribution gives it all of its tokens, a span found in d contributions gives each 1/d. A span in
 *    more than `maxDocumentsPerSpan` documents is common text and credits nobody. The share of a document
 *    that may not earn (not accepted, penalized, or outside the model's datanets) is not redistributed.
 * 5. weight(c) = Σ over spans s containing c of ⌊credit(s) × 1e18 / (d(s) × outputTokens)⌋, so weights are
 *    the fraction of the output attributable to each contribution and sum to at most 1e18. The rest —
 *    tokens no span covers, common text, ineligible shares, rounding — is the unattributed remainder: the
 *    report leaves it out, and the router, which shares the pool in proportion to the eligible weights,
 *    gives the contributors the whole pool pro rata; a report with no weight sends the pool to the treasury.
 * 6. The router's threshold: a weight under it (or zero) would earn nothing on chain, so it is left out of
 *    the report (it changes no payout and saves gas) and shown as such.
 *
 * Integers only (bigint for weights): the same index and text give byte-identical weights anywhere.
 */
import { AttributionError, TOKEN_OFFSET, documentAt, type AttributionIndex } from "./corpus.js";
import { matchingStatistics } from "./search.js";
import { tokenize } from "./tokenizer.js";

/** 1e18 = 100%, as the router's weights. */
export const WEIGHT_ONE = 10n ** 18n;

export interface AttributionOptions {
  /** Shortest span that counts, in tokens (default 8). */
  minSpan?: number;
  /** A span in more documents than this is common text (default 16). */
  maxDocumentsPerSpan?: number;
  /** The router's attribution threshold, 1e18 = 100% (default 1e16, 1%). */
  threshold?: bigint;
  /** Whether a document may earn (default: all may). */
  eligible?: (contributionId: bigint, datanetId: bigint) => boolean;
}

export const DEFAULT_MIN_SPAN = 8;
export const DEFAULT_MAX_DOCUMENTS_PER_SPAN = 16;
export const DEFAULT_THRESHOLD = 10n ** 16n;

/** One maximal match of the output. */
export interface MatchedSpan {
  /** First output token and length in tokens. */
  start: number;
  length: number;
  /** Output tokens credited to it (those no longer span covers). */
  credited: number;
  /** Contributions containing it (empty for common text). */
  contributionIds: bigint[];
  /** More than maxDocumentsPerSpan documents contain it. */
  common: boolean;
}

export interface ContributionScore {
  contributionId: bigint;
  datanetId: bigint;
  /** Spans (with credited tokens) found in it. */
  spans: number;
  /** Output tokens credited to those spans, before sharing. */
  tokens: number;
  weight: bigint;
  /** It may earn (see AttributionOptions.eligible). */
  eligible: boolean;
  /** Its weight reaches the threshold: it is in the report. */
  reported: boolean;
}

export interface Attribution {
  outputTokens: number;
  /** Output tokens credited to some span (common text included). */
  matchedTokens: number;
  spans: MatchedSpan[];
  /** Every contribution some span was found in, by weight (highest first), then id. */
  scores: ContributionScore[];
  /** The report's weights: eligible contributions at or above the threshold, by ascending id. */
  weights: { contributionId: bigint; weight: bigint }[];
  /** Σ of the report's weights (≤ 1e18). */
  attributed: bigint;
}

/** Occurrences listed per span before calling it common: bounds the work of a very frequent span. */
const MAX_OCCURRENCES_SCANNED = 4_096;

/** Attributes `output` (text or o200k_base token ids) to the index's contributions. */
export function attribute(
  index: AttributionIndex,
  output: string | Uint32Array,
  options: AttributionOptions = {},
): Attribution {
  const minSpan = options.minSpan ?? DEFAULT_MIN_SPAN;
  const maxDocuments = options.maxDocumentsPerSpan ?? DEFAULT_MAX_DOCUMENTS_PER_SPAN;
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isSafeInteger(minSpan) || minSpan < 1)
    throw new AttributionError("The minimum span must be at least 1 token.");
  if (!Number.isSafeInteger(maxDocuments) || maxDocuments < 1) {
    throw new AttributionError("The most documents per span must be at least 1.");
  }
  if (threshold < 0n || threshold > WEIGHT_ONE) throw new AttributionError("The threshold must be between 0 and 1e18.");

  const tokens = typeof output === "string" ? tokenize(output) : output;
  const n = tokens.length;
  const query = new Uint32Array(n);
  for (let i = 0; i < n; i++) query[i] = tokens[i]! + TOKEN_OFFSET;
  const stats = matchingStatistics(index.symbols, index.suffixArray, query);

  // Maximal spans of at least minSpan tokens.
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    const length = stats.length[i]!;
    if (length >= minSpan && (i === 0 || length >= stats.length[i - 1]!)) candidates.push(i);
  }
  // Each token to the longest covering span (earliest on a tie).
  const order = [...candidates].sort((a, b) => stats.length[b]! - stats.length[a]! || a - b);
  const owner = new Int32Array(n).fill(-1);
  const credited = new Map<number, number>();
  for (const start of order) {
    let count = 0;
    for (let t = start; t < start + stats.length[start]!; t++) {
      if (owner[t] === -1) {
        owner[t] = start;
        count++;
      }
    }
    if (count > 0) credited.set(start, count);
  }

  const spans: MatchedSpan[] = [];
  const byDocument = new Map<number, { spans: number; tokens: number; weight: bigint }>();
  let matchedTokens = 0;
  for (const start of candidates) {
    const count = credited.get(start);
    if (count === undefined) continue;
    matchedTokens += count;
    const lo = stats.lo[start]!;
    const hi = stats.hi[start]!;
    const documents = new Set<number>();
    if (hi - lo <= MAX_OCCURRENCES_SCANNED) {
      for (let k = lo; k < hi && documents.size <= maxDocuments; k++) {
        documents.add(documentAt(index, index.suffixArray[k]!));
      }
    }
    const common = hi - lo > MAX_OCCURRENCES_SCANNED || documents.size > maxDocuments;
    const sorted = common ? [] : [...documents].sort((a, b) => a - b);
    spans.push({
      start,
      length: stats.length[start]!,
      credited: count,
      contributionIds: sorted.map((d) => index.contributionIds[d]!),
      common,
    });
    if (common) continue;
    const share = (BigInt(count) * WEIGHT_ONE) / (BigInt(sorted.length) * BigInt(n));
    for (const d of sorted) {
      const score = byDocument.get(d) ?? { spans: 0, tokens: 0, weight: 0n };
      score.spans += 1;
      score.tokens += count;
      score.weight += share;
      byDocument.set(d, score);
    }
  }

  const scores: ContributionScore[] = [...byDocument].map(([d, s]) => {
    const contributionId = index.contributionIds[d]!;
    const datanetId = index.documentDatanets[d]!;
    const eligible = options.eligible?.(contributionId, datanetId) ?? true;
    return {
      contributionId,
      datanetId,
      spans: s.spans,
      tokens: s.tokens,
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
    outputTokens: n,
    matchedTokens,
    spans,
    scores,
    weights,
    attributed: weights.reduce((sum, w) => sum + w.weight, 0n),
  };
}

/** "0.25" for 0.25e18: the exact decimal fraction, as attribution:sign reads it. */
export function formatWeight(weight: bigint): string {
  const whole = weight / WEIGHT_ONE;
  const fraction = (weight % WEIGHT_ONE).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction === "" ? `${whole}` : `${whole}.${fraction}`;
}

/** The weights file `attribution:sign` takes, as deterministic JSON text. */
export function weightsJson(inferenceId: bigint, attribution: Attribution): string {
  const weights: Record<string, string> = {};
  for (const w of attribution.weights) weights[w.contributionId.toString()] = formatWeight(w.weight);
  return JSON.stringify({ inferenceId: inferenceId.toString(), weights }, null, 2) + "\n";
}
