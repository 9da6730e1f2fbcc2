/**
 * The Proof-of-Attribution engine: attribution of a model output to the datanet contributions it
 * reproduces, in words, through suffix arrays over one or more shards. Browser-safe: file access and
 * worker threads live in attribution/node/, which this entry never imports.
 *
 * See text.ts for normalisation, shard.ts for a shard and its file, corpus.ts for the index and its
 * commitment, score.ts for the scoring rules. The evaluation-set generator (evaluation.ts) is for the
 * tests and the benchmark, which import it by path: it is not part of the engine's API.
 */
export { buildSuffixArray, type TokenSequence } from "./suffix-array.js";
export { matchingStatistics, suffixRange } from "./search.js";
export { TOKENIZER, VOCABULARY_SIZE, countTokens, detokenize, tokenize } from "./tokenizer.js";
export { DEFAULT_NORMALIZATION, countWords, segment, words, type Normalization, type SegmentedText } from "./text.js";
export {
  SHARD_FORMAT_VERSION,
  VocabularyBuilder,
  anchorShard,
  buildShard,
  isShardFile,
  readShardHeader,
  seedShard,
  serializeShard,
  shardFromBody,
  shardMemoryBytes,
  type Shard,
  type ShardAnchors,
  type ShardDocument,
  type ShardHeader,
  type ShardSeeds,
  type TokenizedDocument,
} from "./shard.js";
export {
  AttributionError,
  COMMITMENT_DOMAIN,
  DEFAULT_PARAMETERS,
  ENGINE_VERSION,
  INDEX_FORMAT_VERSION,
  buildIndex,
  checkParameters,
  commitmentOf,
  deserializeIndex,
  indexCommitment,
  indexOfShards,
  parametersJson,
  planShards,
  prepareDocuments,
  serializeIndex,
  textContentHash,
  type AttributionIndex,
  type BuildOptions,
  type CorpusDocument,
  type EngineParameters,
  type ShardSource,
} from "./corpus.js";
export {
  DEFAULT_MAX_DOCUMENTS_PER_SPAN,
  DEFAULT_MIN_SPAN,
  DEFAULT_THRESHOLD,
  WEIGHT_ONE,
  attribute,
  formatWeight,
  outputHash,
  queryParameters,
  weightsJson,
  type Attribution,
  type AttributionOptions,
  type ContributionScore,
  type CreditedRegion,
  type ExactSpan,
  type MatchedSpan,
} from "./score.js";
