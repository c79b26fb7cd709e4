// Static library (`ar`) archives in the System V / GNU layout that GNU ld,
// LLVM lld and Arm's armlink all read:
//
//   "!<arch>\n"
//   member "/"   the symbol index: u32 count, u32 header offsets (big-endian),
//                then the symbol names, each NUL-terminated
//   member "//"  long names ("name/\n" each), when a name exceeds 15 bytes
//   members      "name/" or "/<offset into //>", data padded to an even size
//
// Every header carries date 0, uid 0, gid 0, mode 644, so an archive is a
// pure function of its members: byte for byte what GNU `ar rcsD` writes.
import { definedGlobals, parseElfObject } from './elf-object.ts';

export interface ArchiveMember {
  /** File name inside the archive (no directories). */
  name: string;
  bytes: Uint8Array;
  /** Symbols indexed for this member; default: the object's defined globals. */
  symbols?: readonly string[];
}

const MAGIC = '!<arch>\n';
const HEADER_BYTES = 60;
const MAX_SHORT_NAME = 15;

const ascii = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7e || (c < 0x20 && c !== 0x0a)) throw new Error(`archive text must be ASCII: ${s}`);
    out[i] = c;
  }
  return out;
};

function field(value: string, width: number): string {
  if (value.length > width) throw new Error(`archive field '${value}' wider than ${width}`);
  return value.padEnd(width, ' ');
}

/** A member header; `mode` null leaves date, owner and mode blank (as GNU ar does for "//"). */
function header(name: string, size: number, mode: string | null = '644'): Uint8Array {
  const owner = mode === null ? ['', '', '', ''] : ['0', '0', '0', mode];
  const text =
    field(name, 16) +
    field(owner[0] as string, 12) +
    field(owner[1] as string, 6) +
    field(owner[2] as string, 6) +
    field(owner[3] as string, 8) +
    field(String(size), 10) +
    '`\n';
  return ascii(text);
}

const padded = (n: number): number => n + (n & 1);

/** Writes an archive with a symbol index, in member order. */
export function writeArchive(members: readonly ArchiveMember[]): Uint8Array {
  const seen = new Set<string>();
  for (const m of members) {
    if (!/^[A-Za-z0-9_.+-]+$/.test(m.name)) throw new Error(`bad archive member name '${m.name}'`);
    if (seen.has(m.name)) throw new Error(`duplicate archive member '${m.name}'`);
    seen.add(m.name);
  }
  const symbolsOf = members.map((m) => m.symbols ?? definedGlobals(parseElfObject(m.bytes)));

  // Long names table.
  let longNames = '';
  const headerNames = members.map((m) => {
    if (m.name.length <= MAX_SHORT_NAME) return `${m.name}/`;
    const at = longNames.length;
    longNames += `${m.name}/\n`;
    return `/${at}`;
  });
  // GNU ar pads the table inside its own size.
  if (longNames.length & 1) longNames += '\n';

  // Symbol index size depends only on the names, so offsets can follow.
  const count = symbolsOf.reduce((n, s) => n + s.length, 0);
  const nameBytes = symbolsOf.reduce((n, s) => n + s.reduce((k, x) => k + x.length + 1, 0), 0);
  const indexSize = 4 + 4 * count + nameBytes;

  let offset = MAGIC.length + HEADER_BYTES + padded(indexSize);
  if (longNames.length > 0) offset += HEADER_BYTES + padded(longNames.length);
  const memberOffsets = members.map((m) => {
    const at = offset;
    offset += HEADER_BYTES + padded(m.bytes.length);
    return at;
  });
  const total = offset;

  const out = new Uint8Array(total).fill(0x0a); // padding bytes are '\n'
  let at = 0;
  const put = (b: Uint8Array): void => {
    out.set(b, at);
    at += b.length;
  };
  const align = (): void => {
    at += at & 1;
  };
  put(ascii(MAGIC));

  put(header('/', indexSize, '0'));
  const index = new Uint8Array(indexSize);
  const dv = new DataView(index.buffer);
  dv.setUint32(0, count, false);
  let k = 0;
  let strAt = 4 + 4 * count;
  symbolsOf.forEach((symbols, i) => {
    for (const s of symbols) {
      dv.setUint32(4 + 4 * k++, memberOffsets[i] as number, false);
      index.set(ascii(s), strAt);
      strAt += s.length;
      index[strAt++] = 0;
    }
  });
  put(index);
  align();

  if (longNames.length > 0) {
    put(header('//', longNames.length, null));
    put(ascii(longNames));
    align();
  }
  members.forEach((m, i) => {
    if (at !== memberOffsets[i]) throw new Error('archive layout mismatch');
    put(header(headerNames[i] as string, m.bytes.length));
    put(m.bytes);
    align();
  });
  return out;
}

export interface ArchiveEntry {
  name: string;
  bytes: Uint8Array;
}

/** Reads an archive back: its members (index and long-names members excluded) and index. */
export function readArchive(bytes: Uint8Array): {
  members: ArchiveEntry[];
  index: { symbol: string; member: string }[];
} {
  const text = (a: number, b: number): string => String.fromCharCode(...bytes.subarray(a, b));
  if (text(0, MAGIC.length) !== MAGIC) throw new Error('not an ar archive');
  let at = MAGIC.length;
  let longNames = '';
  const members: ArchiveEntry[] = [];
  const byOffset = new Map<number, string>();
  let rawIndex: Uint8Array | null = null;
  while (at + HEADER_BYTES <= bytes.length) {
    const name = text(at, at + 16).trimEnd();
    const size = Number(text(at + 48, at + 58).trim());
    if (text(at + 58, at + 60) !== '`\n' || !Number.isInteger(size)) {
      throw new Error(`bad archive header at ${at}`);
    }
    const data = bytes.subarray(at + HEADER_BYTES, at + HEADER_BYTES + size);
    if (name === '/') rawIndex = data;
    else if (name === '//') longNames = text(at + HEADER_BYTES, at + HEADER_BYTES + size);
    else {
      let full = name.endsWith('/') ? name.slice(0, -1) : name;
      if (/^\/\d+$/.test(name)) {
        const from = Number(name.slice(1));
        full = longNames.slice(from, longNames.indexOf('/\n', from));
      }
      byOffset.set(at, full);
      members.push({ name: full, bytes: data });
    }
    at += HEADER_BYTES + padded(size);
  }
  const index: { symbol: string; member: string }[] = [];
  if (rawIndex) {
    const dv = new DataView(rawIndex.buffer, rawIndex.byteOffset, rawIndex.byteLength);
    const n = dv.getUint32(0, false);
    let s = 4 + 4 * n;
    for (let i = 0; i < n; i++) {
      let end = s;
      while (rawIndex[end] !== 0) end++;
      const symbol = String.fromCharCode(...rawIndex.subarray(s, end));
      index.push({ symbol, member: byOffset.get(dv.getUint32(4 + 4 * i, false)) ?? '?' });
      s = end + 1;
    }
  }
  return { members, index };
}
