/**
 * The Proof-of-Attribution engine: suffix-array (∞-gram) attribution of a model output to the datanet
 * contributions it reproduces. See score.ts for the scoring rules and corpus.ts for the index format.
 */
export { buildSuffixArray, type TokenSequence } from "./suffix-array.js";
export { matchingStatistics, suffixRange } from "./search.js";
export { TOKENIZER, VOCABULARY_SIZE, countTokens, detokenize, tokenize } from "./tokenizer.js";
export {
  AttributionError,
  INDEX_FORMAT_VERSION,
  PackedTokens,
  buildIndex,
  deserializeIndex,
  documentAt,
  indexMemoryBytes,
  serializeIndex,
  type AttributionIndex,
  type CorpusDocument,
} from "./corpus.js";
export {
  DEFAULT_MAX_DOCUMENTS_PER_SPAN,
  DEFAULT_MIN_SPAN,
  DEFAULT_THRESHOLD,
  WEIGHT_ONE,
  attribute,
  formatWeight,
  weightsJson,
  type Attribution,
  type AttributionOptions,
  type ContributionScore,
  type MatchedSpan,
} from "./score.js";
export {
  EVALUATION_DEFAULTS,
  TextGenerator,
  generateEvaluationSet,
  prng,
  scoreEvaluation,
  type EvaluationOptions,
  type EvaluationOutput,
  type EvaluationResult,
  type EvaluationSet,
} from "./evaluation.js";
