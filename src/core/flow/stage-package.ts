// Stage 'package': read the model, analyse it, build the model package.
import { analyzeModel } from '../analysis/analyze.ts';
import type { Analysis } from '../analysis/types.ts';
import { buildPackage, type PackageBuild } from '../package/build-package.ts';
import { readModel } from '../tflite/read.ts';
import type { Model } from '../tflite/model.ts';
import { stop } from './failure.ts';

export interface Packaged {
  model: Model;
  analysis: Analysis;
  build: PackageBuild;
}

export function readAndAnalyse(bytes: Uint8Array): { model: Model; analysis: Analysis } {
  const read = readModel(bytes);
  if (!read.ok) {
    stop(
      'package',
      'BAD_MODEL',
      `the file is not a readable TFLite model (${read.error.code}): ${read.error.message}`,
      { cause: read.error },
    );
  }
  const model = read.value;
  if (model.subgraphs.length === 0) stop('package', 'BAD_MODEL', 'the model has no subgraph');
  return { model, analysis: analyzeModel(model, bytes.length) };
}

export function packageModel(model: Model, analysis: Analysis): PackageBuild {
  const built = buildPackage(model, analysis.memory);
  if (built.ok) return built.value;
  const e = built.error;
  if (e.code === 'UNSUPPORTED_OPS') {
    const ops = [...new Set(e.unsupported.map((u) => u.op))];
    const where = e.unsupported.map((u) => `layer ${u.layer} ${u.op}: ${u.reason}`).join('; ');
    stop(
      'package',
      'UNSUPPORTED_OPS',
      `the runtime has no kernel for ${ops.join(', ')} (${where}). ` +
        'Replace or remove these operators, or run them outside the model.',
      { unsupportedOps: ops, cause: e },
    );
  }
  return stop('package', 'PACKAGE', `cannot build the model package (${e.code}): ${e.message}`, {
    cause: e,
  });
}
