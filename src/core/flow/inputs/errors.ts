// Why a user-supplied input file cannot feed an input tensor.
export type InputFileErrorCode =
  /** Not a .npy file, or its header is malformed. */
  | 'BAD_NPY'
  /** A .npy dtype or layout we cannot read (complex, object, Fortran order, ...). */
  | 'UNSUPPORTED_NPY'
  /** A CSV cell that is not a number. */
  | 'BAD_CSV'
  /** Not a BMP file, or a malformed one. */
  | 'BAD_BMP'
  /** A BMP variant we do not decode (RLE, JPEG/PNG inside BMP, ...). */
  | 'UNSUPPORTED_BMP'
  /** A file format with no decoder here (PNG/JPEG: the browser decodes those). */
  | 'UNSUPPORTED_FORMAT'
  /** Element or byte count that does not fit the tensor. */
  | 'SIZE_MISMATCH'
  /** Values that do not fit the tensor's type, or an image for a tensor that is not one. */
  | 'INCOMPATIBLE';

export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    readonly code: InputFileErrorCode,
    message: string,
  ) {
    super(message);
  }
}
