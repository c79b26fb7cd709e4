// The reference page: exposes `tdReference.run(id)` to whoever drives the
// browser (Node via playwright in tests and the CLI). The job and its result
// travel over the page's own HTTP origin as binary frames.
import { runReferenceJob, type TfliteApi } from '../core/reference/tflite-runner.ts';
import { decodeJob, encodeResult } from '../core/reference/wire.ts';
import type { ReferencePageApi } from '../core/reference/types.ts';

declare global {
  interface Window {
    tflite: TfliteApi & { setWasmPath(path: string): void };
    tdReference?: ReferencePageApi;
  }
}

window.tflite.setWasmPath('/vendor/');

async function run(id: string): Promise<string | null> {
  const res = await fetch(`/jobs/${id}`);
  if (!res.ok) return `job ${id}: HTTP ${res.status}`;
  const job = decodeJob(new Uint8Array(await res.arrayBuffer()));
  const result = await runReferenceJob(window.tflite, job);
  const body = encodeResult(result);
  const put = await fetch(`/results/${id}`, { method: 'POST', body: body as BlobPart });
  return put.ok ? null : `result ${id}: HTTP ${put.status}`;
}

window.tdReference = { ready: true, run };
