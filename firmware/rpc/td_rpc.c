/* The RPC server's frame layer: bytes in (COBS, delimiter), frame checks,
 * the replay cache, responses and NAKs out. Requests are handled in
 * td_rpc_handlers.c. */
#include "td_rpc.h"

#include <string.h>

#include "td_cobs.h"
#include "td_rpc_internal.h"

td_rpc_status td_rpc_init(td_rpc *rpc, const td_rpc_board *board) {
  if (rpc == NULL || board == NULL || board->write == NULL) return TD_RPC_BAD_REQUEST;
  if (board->package == NULL && board->package_bytes != 0) return TD_RPC_BAD_REQUEST;
  if (board->arena == NULL && board->arena_bytes != 0) return TD_RPC_BAD_REQUEST;
  if ((uintptr_t)board->package % TD_ALIGN != 0 || (uintptr_t)board->arena % TD_ALIGN != 0)
    return TD_RPC_BAD_REQUEST;
  if (board->num_counters > TD_RPC_MAX_COUNTERS) return TD_RPC_BAD_REQUEST;
  if (board->num_counters > 0 && board->read_counters == NULL) return TD_RPC_BAD_REQUEST;
  if (board->num_counters > 0 && board->profile_layers > 0 && board->profile == NULL)
    return TD_RPC_BAD_REQUEST;
  uint32_t max = board->max_payload == 0 ? TD_RPC_MAX_PAYLOAD : board->max_payload;
  if (max < TD_RPC_MIN_PAYLOAD || max > TD_RPC_MAX_PAYLOAD) return TD_RPC_BAD_REQUEST;
  memset(rpc, 0, sizeof *rpc);
  rpc->board = *board;
  rpc->max_payload = (uint16_t)max;
  rpc->model.failed_layer = UINT32_MAX;
  return TD_RPC_OK;
}

int td_rpc_feed(td_rpc *rpc, uint8_t byte) {
  if (rpc->pending) {
    /* Busy with a request: this frame is lost (the client will resend);
     * skip what remains of it once the request is done. */
    if (byte == 0) {
      if (rpc->rx_overflow == 2) rpc->frames_dropped++;
      rpc->rx_overflow = 0;
    } else {
      rpc->rx_overflow = 2;
    }
    return 0;
  }
  if (byte != 0) {
    if (rpc->rx_len < sizeof rpc->rx) rpc->rx[rpc->rx_len++] = byte;
    else if (rpc->rx_overflow == 0) rpc->rx_overflow = 1;
    return 0;
  }
  uint8_t overflow = rpc->rx_overflow;
  uint32_t n = rpc->rx_len;
  rpc->rx_overflow = 0;
  rpc->rx_len = 0;
  if (overflow == 2) return 0;    /* tail of a frame dropped while busy */
  if (n == 0 && !overflow) return 0; /* empty: a resynchronising delimiter */
  /* A too-long frame is passed on as length 0 with nak set: poll NAKs it. */
  rpc->frame_len = overflow ? 0 : n;
  rpc->nak = overflow ? 1 : 0;
  rpc->pending = 1;
  return 1;
}

static void board_write(void *user, const uint8_t *data, size_t len) {
  const td_rpc *rpc = user;
  rpc->board.write(rpc->board.user, data, len);
}

/* Frame bytes out: COBS, then the delimiter. (The client also ends its
 * frames with one; a leading one is only needed by senders that may have
 * left garbage on the line, which a server does not.) */
static void send_frame(td_rpc *rpc, const uint8_t *frame, uint32_t len) {
  static const uint8_t delimiter = 0;
  td_cobs_encode_to(frame, len, board_write, rpc);
  rpc->board.write(rpc->board.user, &delimiter, 1);
}

/* Header fields and CRC of a frame whose payload is in place. */
static uint32_t seal(uint8_t *frame, uint8_t type, uint8_t flags, uint8_t status, uint16_t seq,
                     uint32_t payload_len) {
  frame[TD_RPC_H_VERSION] = TD_RPC_VERSION;
  frame[TD_RPC_H_TYPE] = type;
  frame[TD_RPC_H_FLAGS] = flags;
  frame[TD_RPC_H_STATUS] = status;
  td_rpc_wr16(frame + TD_RPC_H_SEQ, seq);
  td_rpc_wr16(frame + TD_RPC_H_LENGTH, payload_len);
  uint32_t end = TD_RPC_HEADER_BYTES + payload_len;
  td_rpc_wr32(frame + end, td_crc32(0, frame, end));
  return end + TD_RPC_CRC_BYTES;
}

static void send_nak(td_rpc *rpc) {
  uint8_t nak[TD_RPC_HEADER_BYTES + TD_RPC_CRC_BYTES];
  uint32_t n = seal(nak, TD_RPC_NAK | TD_RPC_RESPONSE, 0, TD_RPC_BAD_FRAME, 0, 0);
  rpc->frames_bad++;
  send_frame(rpc, nak, n);
}

/* A frame that passed COBS, length and CRC checks. */
static void handle_frame(td_rpc *rpc, const uint8_t *frame, uint32_t len, uint32_t crc) {
  uint8_t type = frame[TD_RPC_H_TYPE];
  uint16_t seq = (uint16_t)td_rpc_rd16(frame + TD_RPC_H_SEQ);
  if (type & TD_RPC_RESPONSE) return; /* a response echoed back: never answer one */
  rpc->frames_ok++;
  if (rpc->have_last && seq == rpc->last_seq && type == rpc->last_type && crc == rpc->last_crc) {
    /* A retry of the request we answered last: resend, do not execute. */
    uint32_t payload_len = rpc->tx_len - TD_RPC_HEADER_BYTES - TD_RPC_CRC_BYTES;
    seal(rpc->tx, rpc->tx[TD_RPC_H_TYPE], TD_RPC_FLAG_REPLAY, rpc->tx[TD_RPC_H_STATUS], seq,
         payload_len);
    send_frame(rpc, rpc->tx, rpc->tx_len);
    return;
  }
  td_rpc_call call = {
      .type = type,
      .req = frame + TD_RPC_HEADER_BYTES,
      .req_len = len - TD_RPC_HEADER_BYTES - TD_RPC_CRC_BYTES,
      .resp = rpc->tx + TD_RPC_HEADER_BYTES,
      .cap = rpc->max_payload,
      .resp_len = 0,
      .after = TD_RPC_AFTER_NOTHING,
  };
  td_rpc_status status = frame[TD_RPC_H_VERSION] != TD_RPC_VERSION ? TD_RPC_BAD_VERSION
                         : call.req_len > rpc->max_payload          ? TD_RPC_BAD_REQUEST
                                                                    : td_rpc_dispatch(rpc, &call);
  if (call.resp_len > call.cap) call.resp_len = 0; /* a handler bug must not send garbage */
  rpc->tx_len = seal(rpc->tx, (uint8_t)(type | TD_RPC_RESPONSE), 0, (uint8_t)status, seq,
                     call.resp_len);
  rpc->have_last = 1;
  rpc->last_seq = seq;
  rpc->last_type = type;
  rpc->last_crc = crc;
  send_frame(rpc, rpc->tx, rpc->tx_len);
  if (call.after == TD_RPC_AFTER_HARD_RESET && rpc->board.reset != NULL)
    rpc->board.reset(rpc->board.user);
}

int td_rpc_poll(td_rpc *rpc) {
  if (!rpc->pending) return 0;
  size_t len = 0;
  if (rpc->nak || td_cobs_decode(rpc->rx, rpc->frame_len, &len) != 0 ||
      len < TD_RPC_HEADER_BYTES + TD_RPC_CRC_BYTES ||
      td_rpc_rd16(rpc->rx + TD_RPC_H_LENGTH) != len - TD_RPC_HEADER_BYTES - TD_RPC_CRC_BYTES) {
    send_nak(rpc);
  } else {
    uint32_t end = (uint32_t)len - TD_RPC_CRC_BYTES;
    uint32_t crc = td_crc32(0, rpc->rx, end);
    if (crc != td_rpc_rd32(rpc->rx + end)) send_nak(rpc);
    else handle_frame(rpc, rpc->rx, (uint32_t)len, crc);
  }
  rpc->nak = 0;
  rpc->pending = 0; /* last: hands rx back to td_rpc_feed */
  return 1;
}

void td_rpc_input(td_rpc *rpc, const uint8_t *data, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (td_rpc_feed(rpc, data[i])) td_rpc_poll(rpc);
}

td_model *td_rpc_model(td_rpc *rpc) { return rpc->model_ready ? &rpc->model : NULL; }
