// Worker entry: parsing and analysis run here so a large model never blocks
// the page. Exposed to the page with comlink (see client.ts).
import * as Comlink from 'comlink';
import { analyzeModel } from '../../core/analysis/analyze.ts';
import { err, ok } from '../../core/errors.ts';
import { exampleBytes } from '../../core/examples/index.ts';
import { readModel } from '../../core/tflite/read.ts';
import type { Model } from '../../core/tflite/model.ts';
import type { QuantView } from '../lib/format.ts';
import type { AnalysisApi, AnalyzeResult } from './protocol.ts';

function ioQuantization(model: Model): Record<number, QuantView> {
  const graph = model.subgraphs[0];
  const out: Record<number, QuantView> = {};
  if (!graph) return out;
  for (const index of [...graph.inputs, ...graph.outputs]) {
    const q = graph.tensors[index]?.quantization;
    if (q)
      out[index] = {
        scale: q.scale,
        zeroPoint: q.zeroPoint,
        quantizedDimension: q.quantizedDimension,
      };
  }
  return out;
}

function analyze(bytes: ArrayBuffer, name: string): AnalyzeResult {
  const data = new Uint8Array(bytes);
  const read = readModel(data);
  if (!read.ok) return err({ code: read.error.code, message: read.error.message });
  try {
    const analysis = analyzeModel(read.value, data.byteLength);
    return ok({ name, analysis, ioQuantization: ioQuantization(read.value) });
  } catch (e) {
    // A model that parses but trips the analysis is a bug on our side; say so plainly.
    const message = e instanceof Error ? e.message : String(e);
    return err({ code: 'ANALYSIS_FAILED', message: `Analysis failed: ${message}` });
  }
}

const api: AnalysisApi = {
  analyze,
  exampleBytes(id) {
    const bytes = exampleBytes(id);
    if (!bytes) return err({ code: 'UNKNOWN_EXAMPLE', message: `No example model named "${id}".` });
    // Hand over exactly the model's bytes, without copying them again.
    const buffer =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : (bytes.slice().buffer as ArrayBuffer);
    return Comlink.transfer(ok(buffer), [buffer]);
  },
};

Comlink.expose(api);
