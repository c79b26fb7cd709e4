// The contract between the page and the analysis worker. Plain data only: it
// crosses the worker boundary by structured clone (errors become {code, message}).
import type { Analysis } from '../../core/analysis/types.ts';
import type { Result } from '../../core/errors.ts';
import type { QuantView } from '../lib/format.ts';

export interface Failure {
  /** A ModelErrorCode, or 'ANALYSIS_FAILED' / 'UNKNOWN_EXAMPLE' for failures past parsing. */
  code: string;
  message: string;
}

export interface AnalyzedModel {
  name: string;
  analysis: Analysis;
  /**
   * Quantization of the graph inputs and outputs by tensor index: the
   * analysis contract carries dtype and shape only, and the summary shows both.
   */
  ioQuantization: Record<number, QuantView>;
}

export type AnalyzeResult = Result<AnalyzedModel, Failure>;

export interface AnalysisApi {
  /** Parses and analyses a .tflite file; the buffer is transferred, not copied. */
  analyze(bytes: ArrayBuffer, name: string): AnalyzeResult;
  /** Builds one of the project's example models and returns its .tflite bytes. */
  exampleBytes(id: string): Result<ArrayBuffer, Failure>;
}
