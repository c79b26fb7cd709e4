// The export kit: everything an export is assembled from, prebuilt from
// our sources by `npm run firmware:lib` (scripts/build-lib.ts) into
// firmware-prebuilt/lib/<core>/ and described by its manifest.json:
//
//   obj/<name>.o   the runtime core and every kernel, one object each
//   files/...      text sources the export ships: runtime headers, the
//                  example application (firmware/example), board support
//                  (firmware/app, firmware/boards/<board>)
//
// This module only describes and checks a kit; reading it from disk (Node)
// or fetching it (the app) is the caller's business: loadKit takes a reader.
import type { SectionSizes } from './elf-object.ts';
import type { BoardMemory } from './linker-script.ts';

export const KIT_FORMAT = 1;

export interface KitObject {
  /** Path inside the kit, e.g. "obj/conv_2d_s8.o". */
  file: string;
  /** Source name without extension: "td_load", "conv_2d_s8". */
  name: string;
  kind: 'core' | 'kernel';
  /** Kernel id (td_kernels.h) for a kernel object, read from its descriptor. */
  kernelId?: number;
  bytes: number;
  sha256: string;
  sizes: SectionSizes;
  /** Global symbols defined. */
  defines: string[];
  /** Symbols needed from elsewhere. */
  needs: string[];
}

export interface KitFile {
  /** Path the export ships it under (kit key "files/<path>"), e.g. "runtime/include/td_runtime.h". */
  path: string;
  /** Its source in the repository (not copied into the kit), e.g. "firmware/runtime/include/td_runtime.h". */
  source: string;
  bytes: number;
  sha256: string;
}

export interface KitBoard {
  /** Folder name under firmware/boards/. */
  name: string;
  /** td_board_info.cpu, e.g. "cortex-m4f". */
  cpu: string;
  memory: BoardMemory;
  /** Board support files under files/, in the order they are listed. */
  files: string[];
}

export interface KitManifest {
  format: number;
  /** The core the objects are built for, e.g. "cortex-m4f". */
  core: string;
  /** First line of `arm-none-eabi-gcc --version`. */
  compiler: string;
  cflags: string;
  /** SHA-256 over every source the kit is built from (see scripts/lib-kit.ts). */
  sourceHash: string;
  objects: KitObject[];
  files: KitFile[];
  boards: KitBoard[];
}

export interface ExportKit {
  manifest: KitManifest;
  /** Contents by kit path ("obj/x.o", "files/runtime/include/td_runtime.h"). */
  contents: ReadonlyMap<string, Uint8Array>;
}

/** The prebuilt files a kit's manifest names, relative to the kit folder. */
export function kitPaths(manifest: KitManifest): string[] {
  return manifest.objects.map((o) => o.file);
}

/**
 * Reads a kit through `read`: prebuilt objects by their path in the kit
 * folder, text sources by their kit key "files/<path>" plus their repository
 * path (`source`), so a reader on disk takes them from the repository and the
 * app's build serves them under the kit key.
 */
export async function loadKit(
  read: (path: string, source?: string) => Promise<Uint8Array> | Uint8Array,
): Promise<ExportKit> {
  const manifest = JSON.parse(new TextDecoder().decode(await read('manifest.json'))) as KitManifest;
  if (manifest.format !== KIT_FORMAT) {
    throw new Error(`export kit format ${manifest.format}, this build reads ${KIT_FORMAT}`);
  }
  const contents = new Map<string, Uint8Array>();
  for (const path of kitPaths(manifest)) contents.set(path, await read(path));
  for (const f of manifest.files)
    contents.set(`files/${f.path}`, await read(`files/${f.path}`, f.source));
  return { manifest, contents };
}

/** A kit file's bytes, or an error naming it. */
export function kitBytes(kit: ExportKit, path: string): Uint8Array {
  const b = kit.contents.get(path);
  if (!b) throw new Error(`export kit has no ${path}`);
  return b;
}
