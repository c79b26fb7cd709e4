/* Server-private: shared by the frame layer (td_rpc.c) and the request
 * handlers (td_rpc_handlers.c). */
#ifndef TD_RPC_INTERNAL_H
#define TD_RPC_INTERNAL_H

#include "td_rpc.h"

static inline uint32_t td_rpc_rd16(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8);
}

static inline uint32_t td_rpc_rd32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}

static inline void td_rpc_wr16(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

static inline void td_rpc_wr32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* What to do once the response has been written. */
enum { TD_RPC_AFTER_NOTHING = 0, TD_RPC_AFTER_HARD_RESET = 1 };

/* A request to handle: payload in, response payload out (at most cap). */
typedef struct {
  uint8_t type;
  const uint8_t *req;
  uint32_t req_len;
  uint8_t *resp;
  uint32_t cap;
  uint32_t resp_len;
  uint8_t after;
} td_rpc_call;

td_rpc_status td_rpc_dispatch(td_rpc *rpc, td_rpc_call *call);

/* Forgets the model, any upload in progress and the last invoke. */
void td_rpc_unload(td_rpc *rpc);

#endif
