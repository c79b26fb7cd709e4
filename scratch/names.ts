import { buildExample } from '../src/core/examples/index.ts';
const m = buildExample('cnn-int8')!;
const sg = m.subgraphs[0]!;
sg.operators.forEach((op, i) => console.log(i, op.inputs.map((t) => sg.tensors[t]?.name + ':' + sg.tensors[t]?.type).join(' | '), '->', op.outputs.map(t=>sg.tensors[t]?.name).join()));
