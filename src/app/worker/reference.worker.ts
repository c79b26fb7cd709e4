// Worker entry for the independent reference: TFLite compiled to WASM
// (tfjs-tflite). Its UMD bundles only work as classic scripts, so this is a
// classic worker that pulls them in with importScripts (the build copies
// them to vendor/, see build/app-assets.ts). The flow worker talks to it
// over a MessagePort the page hands both sides (see flow-client.ts).
import * as Comlink from 'comlink';
import { runReferenceJob, type TfliteApi } from '../../core/reference/tflite-runner.ts';
import type { ReferenceJob, ReferenceResult } from '../../core/reference/types.ts';

export interface ReferenceWorkerApi {
  /** Loads tfjs-tflite from `vendorUrl` (absolute, ending in '/'); idempotent. */
  init(vendorUrl: string): void;
  run(job: ReferenceJob): Promise<ReferenceResult>;
  /** Serves this API on another port too (the flow worker's end). */
  connect(port: MessagePort): void;
}

interface TfliteGlobal extends TfliteApi {
  setWasmPath(path: string): void;
}

const scope = self as unknown as { importScripts(...urls: string[]): void; tflite?: TfliteGlobal };
let tflite: TfliteGlobal | null = null;

const api: ReferenceWorkerApi = {
  init(vendorUrl) {
    if (tflite) return;
    scope.importScripts(
      `${vendorUrl}tf-core.min.js`,
      `${vendorUrl}tf-backend-cpu.min.js`,
      `${vendorUrl}tf-tflite.min.js`,
    );
    if (!scope.tflite) throw new Error('tfjs-tflite did not load (no tflite global)');
    scope.tflite.setWasmPath(vendorUrl);
    tflite = scope.tflite;
  },
  async run(job) {
    if (!tflite) return { ok: false, error: 'the reference worker was not initialised' };
    return runReferenceJob(tflite, job);
  },
  connect(port) {
    Comlink.expose(api, port);
  },
};

Comlink.expose(api);
