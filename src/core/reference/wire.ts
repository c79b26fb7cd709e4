// Binary framing for reference jobs and results: a JSON header followed by
// 8-byte aligned blobs. Tensors travel as raw bytes, so a 4 MB model or a
// batch of images costs a copy, not a JSON/base64 round trip.
import {
  bytesOfData,
  dataFromBytes,
  isNumericType,
  typeOfData,
  type NumericType,
  type TensorData,
} from '../validate/tensor-data.ts';
import type { ReferenceJob, ReferenceResult } from './types.ts';

const MAGIC = 0x46524454; // "TDRF" little-endian

interface Frame {
  header: unknown;
  blobs: Uint8Array[];
}

const pad8 = (n: number): number => (n + 7) & ~7;

export function packFrame(header: unknown, blobs: Uint8Array[]): Uint8Array {
  const json = new TextEncoder().encode(
    JSON.stringify({ header, blobs: blobs.map((b) => b.byteLength) }),
  );
  let size = pad8(8 + json.byteLength);
  for (const b of blobs) size += pad8(b.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.byteLength, true);
  out.set(json, 8);
  let at = pad8(8 + json.byteLength);
  for (const b of blobs) {
    out.set(b, at);
    at += pad8(b.byteLength);
  }
  return out;
}

export function unpackFrame(bytes: Uint8Array): Frame {
  if (bytes.byteLength < 8) throw new Error('reference frame truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('not a reference frame');
  const jsonLength = view.getUint32(4, true);
  if (8 + jsonLength > bytes.byteLength) throw new Error('reference frame truncated');
  const parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + jsonLength))) as {
    header: unknown;
    blobs: number[];
  };
  let at = pad8(8 + jsonLength);
  const blobs = parsed.blobs.map((length) => {
    if (at + length > bytes.byteLength) throw new Error('reference frame truncated');
    const blob = bytes.subarray(at, at + length);
    at += pad8(length);
    return blob;
  });
  return { header: parsed.header, blobs };
}

/** A tensor in a header: its type and the index of its blob. */
interface TensorRef {
  type: NumericType;
  blob: number;
}

function refTensor(data: TensorData, blobs: Uint8Array[]): TensorRef {
  blobs.push(bytesOfData(data));
  return { type: typeOfData(data), blob: blobs.length - 1 };
}

function derefTensor(ref: TensorRef, blobs: Uint8Array[]): TensorData {
  const blob = blobs[ref.blob];
  if (!blob || !isNumericType(ref.type)) throw new Error('bad tensor reference in frame');
  return dataFromBytes(ref.type, blob);
}

export function encodeJob(job: ReferenceJob): Uint8Array {
  const blobs: Uint8Array[] = [job.model];
  const inputSets = job.inputSets.map((set) => set.map((t) => refTensor(t, blobs)));
  const extraInputs = (job.extraInputs ?? []).map((t) => refTensor(t, blobs));
  return packFrame({ kind: 'job', inputSets, extraInputs, profile: job.profile === true }, blobs);
}

export function decodeJob(bytes: Uint8Array): ReferenceJob {
  const { header, blobs } = unpackFrame(bytes);
  const h = header as {
    kind: string;
    inputSets: TensorRef[][];
    extraInputs: TensorRef[];
    profile: boolean;
  };
  const model = blobs[0];
  if (h.kind !== 'job' || !model) throw new Error('not a reference job');
  return {
    model,
    inputSets: h.inputSets.map((set) => set.map((r) => derefTensor(r, blobs))),
    extraInputs: h.extraInputs.map((r) => derefTensor(r, blobs)),
    profile: h.profile,
  };
}

export function encodeResult(result: ReferenceResult): Uint8Array {
  if (!result.ok) return packFrame({ kind: 'result', ok: false, error: result.error }, []);
  const blobs: Uint8Array[] = [];
  const outputSets = result.outputSets.map((set) => set.map((t) => refTensor(t, blobs)));
  const { inputs, outputs, nodeTypes, timing } = result;
  return packFrame(
    { kind: 'result', ok: true, inputs, outputs, outputSets, nodeTypes, timing },
    blobs,
  );
}

export function decodeResult(bytes: Uint8Array): ReferenceResult {
  const { header, blobs } = unpackFrame(bytes);
  const h = header as { kind: string } & (
    | { ok: false; error: string }
    | (Omit<Extract<ReferenceResult, { ok: true }>, 'outputSets'> & {
        ok: true;
        outputSets: TensorRef[][];
      })
  );
  if (h.kind !== 'result') throw new Error('not a reference result');
  if (!h.ok) return { ok: false, error: h.error };
  return {
    ok: true,
    inputs: h.inputs,
    outputs: h.outputs,
    outputSets: h.outputSets.map((set) => set.map((r) => derefTensor(r, blobs))),
    nodeTypes: h.nodeTypes,
    timing: h.timing,
  };
}
