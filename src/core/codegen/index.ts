// Public surface of the export (codegen): the zip a user builds for a board.
export { writeArchive, readArchive, type ArchiveMember } from './ar.ts';
export {
  buildExport,
  ExportError,
  isToolchainSymbol,
  type ExportBuild,
  type ExportErrorCode,
  type ExportInput,
  type ExportedKernel,
  type ReportFile,
} from './export.ts';
export { loadKit, kitPaths, type ExportKit, type KitManifest, type KitObject } from './kit.ts';
export { DEFAULT_TOLERANCE, type TestVectors, type Tolerance } from './test-vectors.ts';
