// The page's handle on the analysis worker, created on first use.
import * as Comlink from 'comlink';
import type { AnalysisApi } from './protocol.ts';

let remote: Comlink.Remote<AnalysisApi> | null = null;
const crashListeners = new Set<(message: string) => void>();

/**
 * Called when the worker fails to load or dies: comlink would leave the calls
 * in flight pending forever, so the store listens and reports the failure.
 */
export function onWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

export function analysisWorker(): Comlink.Remote<AnalysisApi> {
  if (!remote) {
    const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), {
      type: 'module',
      name: 'analysis',
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      worker.terminate();
      // The next request starts a fresh worker.
      remote = null;
      const message = event.message || 'the analysis worker could not be started';
      for (const listener of crashListeners) listener(message);
    });
    remote = Comlink.wrap<AnalysisApi>(worker);
  }
  return remote;
}
