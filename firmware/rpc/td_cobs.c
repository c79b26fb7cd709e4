/* COBS (Consistent Overhead Byte Stuffing). Each block is a code byte c
 * followed by c - 1 non-zero bytes; a zero follows the block unless c is
 * 0xFF (a full block) or the block ends the frame. */
#include "td_cobs.h"

int td_cobs_decode(uint8_t *buf, size_t n, size_t *out_len) {
  size_t i = 0, o = 0;
  while (i < n) {
    size_t code = buf[i++];
    if (code == 0 || code - 1 > n - i) return -1;
    for (size_t k = 1; k < code; k++) {
      uint8_t b = buf[i++];
      if (b == 0) return -1;
      buf[o++] = b; /* o < i: in place is safe */
    }
    if (code < 0xFF && i < n) buf[o++] = 0;
  }
  *out_len = o;
  return 0;
}

void td_cobs_encode_to(const uint8_t *data, size_t len, td_cobs_write_fn write, void *user) {
  size_t pos = 0;
  for (;;) {
    size_t j = pos;
    while (j < len && data[j] != 0 && j - pos < 254) j++;
    uint8_t code = (uint8_t)(j - pos + 1);
    write(user, &code, 1);
    if (j > pos) write(user, data + pos, j - pos);
    if (j == len) return;
    /* A full block continues at j; a short one ended at a zero it encodes. */
    pos = code == 0xFF ? j : j + 1;
  }
}
