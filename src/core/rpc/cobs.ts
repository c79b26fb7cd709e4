// Consistent Overhead Byte Stuffing: removes every 0x00 from a frame so that
// 0x00 can delimit frames on a byte stream. A receiver that starts mid-stream
// or sees garbage resynchronises at the next 0x00. Overhead: one byte per
// 254, plus one.

/** Encoded length bound for n input bytes. */
export function cobsMaxEncoded(n: number): number {
  return n + Math.floor(n / 254) + 1;
}

/** Encodes (without the trailing 0x00 delimiter). */
export function cobsEncode(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(cobsMaxEncoded(data.length));
  let codeAt = 0; // where the current block's code byte goes
  let o = 1;
  let code = 1;
  for (let i = 0; i < data.length; i++) {
    const b = data[i] as number;
    if (b === 0) {
      out[codeAt] = code;
      codeAt = o++;
      code = 1;
      continue;
    }
    out[o++] = b;
    code++;
    // A full block (254 data bytes) carries no implied zero; start another
    // unless the input ends here.
    if (code === 0xff && i + 1 < data.length) {
      out[codeAt] = code;
      codeAt = o++;
      code = 1;
    }
  }
  out[codeAt] = code;
  return out.subarray(0, o);
}

/** Decodes one frame (delimiter removed); null if it is not valid COBS. */
export function cobsDecode(enc: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(enc.length);
  let o = 0;
  let i = 0;
  while (i < enc.length) {
    const code = enc[i++] as number;
    if (code === 0 || i + code - 1 > enc.length) return null;
    for (let k = 1; k < code; k++) {
      const b = enc[i++] as number;
      if (b === 0) return null;
      out[o++] = b;
    }
    if (code < 0xff && i < enc.length) out[o++] = 0;
  }
  return out.subarray(0, o);
}
