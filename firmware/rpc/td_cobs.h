/* COBS framing for the RPC server (docs/rpc.md): frames never contain 0x00,
 * so 0x00 delimits them on the byte stream. */
#ifndef TD_COBS_H
#define TD_COBS_H

#include <stddef.h>
#include <stdint.h>

/* Decodes buf[0, n) in place (decoded bytes never outrun the encoded
 * ones). Returns 0 and the decoded length in *out_len, or -1 if buf is not
 * valid COBS. */
int td_cobs_decode(uint8_t *buf, size_t n, size_t *out_len);

typedef void (*td_cobs_write_fn)(void *user, const uint8_t *data, size_t len);

/* Encodes data[0, len) straight to write (no output buffer): a code byte,
 * then a run of data, per block. Writes no delimiter. */
void td_cobs_encode_to(const uint8_t *data, size_t len, td_cobs_write_fn write, void *user);

#endif
