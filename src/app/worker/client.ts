// The page's handle on the analysis worker, created on first use.
import * as Comlink from 'comlink';
import type { AnalysisApi } from './protocol.ts';

let remote: Comlink.Remote<AnalysisApi> | null = null;

export function analysisWorker(): Comlink.Remote<AnalysisApi> {
  if (!remote) {
    const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), {
      type: 'module',
      name: 'analysis',
    });
    remote = Comlink.wrap<AnalysisApi>(worker);
  }
  return remote;
}
