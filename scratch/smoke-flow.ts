import { exampleBytes } from '../src/core/examples/index.ts';
import { runFlowNode } from '../src/node/run-flow.ts';
import { rpcBinaries } from '../tests/unit/rpc-support.ts';

const arg = process.argv[2] ?? "cnn-int8";
const bytes = arg.endsWith(".tflite") ? new Uint8Array((await import("node:fs")).readFileSync(arg)) : exampleBytes(arg)!;
const t0 = performance.now();
const r = await runFlowNode(bytes, {
  board: (process.argv[3] ?? 'host') as 'host',
  modelName: 'x.tflite',
  toolVersion: 'dev',
  inputSets: 5,
  boardOptions: { hostServer: rpcBinaries().server },
  onProgress: (p) => console.error(p.stage, p.done, p.total, p.message),
});
console.log('ms', performance.now() - t0);
if (!r.ok) console.log(r.failure);
else {
  console.log(r.verdict, r.artifacts.validation.reason, r.artifacts.timings);
  console.log(JSON.stringify(r.artifacts.report.summary), r.artifacts.report.warnings);
}
