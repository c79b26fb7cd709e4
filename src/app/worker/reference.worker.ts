// Worker entry for the independent reference: TFLite compiled to WASM
// (tfjs-tflite). Its UMD bundles only work as classic scripts (the build
// copies them to vendor/, see build/app-assets.ts), and tfjs-tflite loads
// its Emscripten glue with importScripts, which module workers refuse. This
// is a module worker (like the others, and as the dev server serves every
// worker), so it gives importScripts a classic script's behaviour: fetch the
// script synchronously and run it in the global scope. The flow worker talks
// to it over a MessagePort the page hands both sides (see flow-client.ts).
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

/** Runs a classic script in the global scope, as importScripts does. */
function runClassicScript(url: string): void {
  const xhr = new XMLHttpRequest();
  // Synchronous, as importScripts is (allowed in workers).
  xhr.open('GET', url, false);
  xhr.send();
  if (xhr.status < 200 || xhr.status >= 300) {
    throw new DOMException(`Failed to load ${url}: HTTP ${xhr.status}`, 'NetworkError');
  }
  // Indirect eval: global scope, sloppy mode, like a classic script's top level.
  (0, eval)(`${xhr.responseText}\n//# sourceURL=${url}`);
}

const nativeImportScripts = scope.importScripts.bind(scope);
scope.importScripts = (...urls: string[]): void => {
  try {
    nativeImportScripts(...urls);
  } catch (e) {
    // Module workers throw a TypeError for every call; anything else is a real failure.
    if (!(e instanceof TypeError)) throw e;
    for (const url of urls) runClassicScript(url);
  }
};

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
