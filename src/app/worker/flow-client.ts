// The page's handles on the flow worker and the reference worker, created on
// first use and wired together: the reference worker serves the flow worker
// over a MessageChannel, so reference jobs never pass through the page.
import * as Comlink from 'comlink';
import { version } from '../../../package.json';
import type { FlowWorkerApi } from './flow-protocol.ts';
import type { ReferenceWorkerApi } from './reference.worker.ts';

export interface FlowWorkers {
  flow: Comlink.Remote<FlowWorkerApi>;
  reference: Comlink.Remote<ReferenceWorkerApi>;
}

let workers: FlowWorkers | null = null;
let raw: Worker[] = [];
const crashListeners = new Set<(message: string) => void>();

/** Called when either worker fails to load or dies; the next call starts fresh ones. */
export function onFlowWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

/** The folder the app is served from (index.html's), where the build's files live. */
export function appBaseUrl(): string {
  return new URL(import.meta.env.BASE_URL, document.baseURI).href;
}

export function terminateFlowWorkers(): void {
  for (const w of raw) w.terminate();
  raw = [];
  workers = null;
}

export function flowWorkers(): FlowWorkers {
  if (workers) return workers;
  const flowWorker = new Worker(new URL('./flow.worker.ts', import.meta.url), {
    type: 'module',
    name: 'flow',
  });
  const referenceWorker = new Worker(new URL('./reference.worker.ts', import.meta.url), {
    type: 'module',
    name: 'reference',
  });
  raw = [flowWorker, referenceWorker];
  for (const w of raw) {
    w.addEventListener('error', (event) => {
      event.preventDefault();
      const which = w === flowWorker ? 'flow' : 'reference';
      const where = event.filename ? ` (${event.filename}:${event.lineno})` : '';
      const message = `the ${which} worker failed: ${event.message || 'it could not start'}${where}`;
      terminateFlowWorkers();
      for (const listener of crashListeners) listener(message);
    });
  }
  const flow = Comlink.wrap<FlowWorkerApi>(flowWorker);
  const reference = Comlink.wrap<ReferenceWorkerApi>(referenceWorker);
  const channel = new MessageChannel();
  void reference.connect(Comlink.transfer(channel.port1, [channel.port1]));
  void flow.configure(
    { baseUrl: appBaseUrl(), toolVersion: `tinydeploy ${version}` },
    Comlink.transfer(channel.port2, [channel.port2]),
  );
  workers = { flow, reference };
  return workers;
}

/**
 * Starts the workers and loads tfjs-tflite ahead of the first run (called
 * once a model is open): the first Run then starts on a warm reference.
 */
export function warmUpFlow(): void {
  const { reference } = flowWorkers();
  reference.init(new URL('vendor/', appBaseUrl()).href).catch(() => {
    // The run itself reports a reference that cannot load.
  });
}
