// `tinydeploy analyze MODEL.tflite [--json]`: layers, op set, memory plan.
import { basename } from 'node:path';
import { analyzeModel } from '../../core/analysis/analyze.ts';
import type { Command } from '../command.ts';
import { unknownFlags } from '../args.ts';
import { formatAnalysis } from '../format.ts';
import { EXIT } from '../io.ts';
import { loadModel } from '../load-model.ts';

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'shapes, MACs, parameters, op set and memory plan of a model',
  usage: 'analyze MODEL.tflite [--json]',
  async run(args, io) {
    const unknown = unknownFlags(args, ['json']);
    if (args.positional.length !== 1 || unknown.length > 0) {
      if (unknown.length > 0) io.err(`tinydeploy analyze: unknown option --${unknown[0]}`);
      io.err(`usage: tinydeploy ${this.usage}`);
      return EXIT.usage;
    }
    const loaded = await loadModel(args.positional[0] as string);
    if (!loaded.ok) {
      io.err(`tinydeploy: ${loaded.error}`);
      return EXIT.badInput;
    }
    const analysis = analyzeModel(loaded.value.model, loaded.value.bytes.length);
    io.out(
      args.flags.has('json')
        ? JSON.stringify(analysis, null, 2)
        : formatAnalysis(analysis, basename(loaded.value.path)),
    );
    return EXIT.ok;
  },
};
