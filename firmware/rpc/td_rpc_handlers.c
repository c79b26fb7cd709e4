/* The RPC server's requests (docs/rpc.md, "Requests"): each checks its
 * payload length and every index, offset and length against its target
 * before touching memory, and answers with a status. */
#include <string.h>

#include "td_rpc_internal.h"

void td_rpc_unload(td_rpc *rpc) {
  rpc->loading = 0;
  rpc->model_ready = 0;
  rpc->model_pkg = NULL;
  rpc->model_pkg_len = 0;
  rpc->layers_run = 0;
  rpc->profile_records = 0;
  rpc->total_cycles = 0;
}

static uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* u8 length + bytes, truncated to TD_RPC_INFO_STRING_MAX. */
static uint32_t put_string(uint8_t *p, const char *s) {
  uint32_t n = 0;
  if (s != NULL)
    while (n < TD_RPC_INFO_STRING_MAX && s[n] != '\0') n++;
  p[0] = (uint8_t)n;
  if (n > 0) memcpy(p + 1, s, n);
  return n + 1;
}

static td_rpc_status info(td_rpc *rpc, td_rpc_call *c) {
  if (c->req_len != 0) return TD_RPC_BAD_REQUEST;
  const td_rpc_board *b = &rpc->board;
  uint8_t *p = c->resp;
  memset(p, 0, 48);
  p[0] = TD_RPC_VERSION;
  p[1] = (uint8_t)((rpc->model_ready ? TD_RPC_INFO_MODEL_LOADED : 0) |
                   (b->reset != NULL ? TD_RPC_INFO_HARD_RESET : 0));
  p[2] = b->num_counters;
  td_rpc_wr16(p + 4, rpc->max_payload);
  td_rpc_wr32(p + 8, b->clock_hz);
  td_rpc_wr32(p + 12, TD_FORMAT_VERSION);
  td_rpc_wr32(p + 16, b->package_bytes);
  td_rpc_wr32(p + 20, b->arena_bytes);
  td_rpc_wr32(p + 24, b->num_counters > 0 ? b->profile_layers : 0);
  td_rpc_wr32(p + 28, td_kernel_count());
  if (rpc->model_ready) {
    td_rpc_wr32(p + 32, td_num_inputs(&rpc->model));
    td_rpc_wr32(p + 36, td_num_outputs(&rpc->model));
    td_rpc_wr32(p + 40, td_num_layers(&rpc->model));
    td_rpc_wr32(p + 44, td_num_tensors(&rpc->model));
  }
  uint32_t n = 48;
  n += put_string(p + n, b->name);
  n += put_string(p + n, b->core);
  n += put_string(p + n, b->build_id);
  c->resp_len = n; /* <= 48 + 3 * 25 < TD_RPC_MIN_PAYLOAD */
  return TD_RPC_OK;
}

static td_rpc_status echo(td_rpc_call *c) {
  if (c->req_len > c->cap) return TD_RPC_BAD_REQUEST; /* refused earlier; kept local */
  memcpy(c->resp, c->req, c->req_len);
  c->resp_len = c->req_len;
  return TD_RPC_OK;
}

static td_rpc_status kernels(td_rpc_call *c) {
  if (c->req_len != 4) return TD_RPC_BAD_REQUEST;
  uint32_t first = td_rpc_rd32(c->req), total = td_kernel_count();
  if (first > total) return TD_RPC_OUT_OF_RANGE;
  uint32_t n = min_u32(total - first, (c->cap - 8) / 2);
  td_rpc_wr32(c->resp, total);
  td_rpc_wr16(c->resp + 4, n);
  td_rpc_wr16(c->resp + 6, 0);
  for (uint32_t i = 0; i < n; i++) td_rpc_wr16(c->resp + 8 + 2 * i, td_kernel_at(first + i)->id);
  c->resp_len = 8 + 2 * n;
  return TD_RPC_OK;
}

static td_rpc_status load_begin(td_rpc *rpc, td_rpc_call *c) {
  if (c->req_len != 8) return TD_RPC_BAD_REQUEST;
  uint32_t total = td_rpc_rd32(c->req);
  td_rpc_unload(rpc); /* the region is about to be overwritten */
  if (total < TD_HEADER_BYTES) return TD_RPC_BAD_REQUEST;
  if (total > rpc->board.package_bytes) return TD_RPC_TOO_LARGE;
  rpc->loading = 1;
  rpc->load_total = total;
  rpc->load_crc = td_rpc_rd32(c->req + 4);
  return TD_RPC_OK;
}

static td_rpc_status load_chunk(td_rpc *rpc, td_rpc_call *c) {
  if (c->req_len < 4) return TD_RPC_BAD_REQUEST;
  if (!rpc->loading) return TD_RPC_BAD_STATE;
  uint32_t offset = td_rpc_rd32(c->req), n = c->req_len - 4;
  if (offset > rpc->load_total || n > rpc->load_total - offset) return TD_RPC_OUT_OF_RANGE;
  memcpy(rpc->board.package + offset, c->req + 4, n);
  return TD_RPC_OK;
}

/* LOAD_COMMIT's and td_rpc_load_resident's td_load, and its verdict. */
static td_status load_model(td_rpc *rpc, const uint8_t *pkg, uint32_t len) {
  td_rpc_unload(rpc);
  td_status s = td_load(pkg, len, rpc->board.arena, rpc->board.arena_bytes, &rpc->model);
  if (s == TD_OK) {
    rpc->model_ready = 1;
    rpc->model_pkg = pkg;
    rpc->model_pkg_len = len;
  }
  return s;
}

static td_rpc_status load_commit(td_rpc *rpc, td_rpc_call *c) {
  if (c->req_len != 0) return TD_RPC_BAD_REQUEST;
  if (!rpc->loading) return TD_RPC_BAD_STATE;
  uint32_t total = rpc->load_total;
  rpc->loading = 0;
  uint32_t crc = td_crc32(0, rpc->board.package, total);
  if (crc != rpc->load_crc) {
    td_rpc_wr32(c->resp, crc);
    c->resp_len = 4;
    return TD_RPC_CRC_MISMATCH;
  }
  td_status s = load_model(rpc, rpc->board.package, total);
  size_t need = 0;
  if (td_arena_required(rpc->board.package, total, &need) != TD_OK) need = 0;
  uint8_t *p = c->resp;
  memset(p, 0, 28);
  td_rpc_wr32(p, (uint32_t)s);
  td_rpc_wr32(p + 4, s == TD_OK ? UINT32_MAX : rpc->model.failed_layer);
  if (s == TD_OK) {
    td_rpc_wr32(p + 8, td_num_inputs(&rpc->model));
    td_rpc_wr32(p + 12, td_num_outputs(&rpc->model));
    td_rpc_wr32(p + 16, td_num_layers(&rpc->model));
    td_rpc_wr32(p + 20, td_num_tensors(&rpc->model));
  }
  td_rpc_wr32(p + 24, (uint32_t)need);
  c->resp_len = 28;
  return s == TD_OK ? TD_RPC_OK : TD_RPC_RUNTIME;
}

static td_rpc_status set_input(td_rpc *rpc, td_rpc_call *c) {
  if (c->req_len < 8) return TD_RPC_BAD_REQUEST;
  if (!rpc->model_ready) return TD_RPC_BAD_STATE;
  td_tensor t;
  if (td_input(&rpc->model, td_rpc_rd32(c->req), &t) != TD_OK) return TD_RPC_OUT_OF_RANGE;
  uint32_t offset = td_rpc_rd32(c->req + 4), n = c->req_len - 8;
  if (offset > t.bytes || n > t.bytes - offset) return TD_RPC_OUT_OF_RANGE;
  memcpy((uint8_t *)t.data + offset, c->req + 8, n);
  return TD_RPC_OK;
}

/* Counters around each layer: before keeps a snapshot, after stores the
 * differences (mod 2^32, so wrapping counters are fine). */
static void before_layer(void *user, uint32_t layer) {
  td_rpc *rpc = user;
  (void)layer;
  if (rpc->board.num_counters > 0) rpc->board.read_counters(rpc->board.user, rpc->layer_start);
}

static void after_layer(void *user, uint32_t layer) {
  td_rpc *rpc = user;
  const td_rpc_board *b = &rpc->board;
  rpc->layers_run = layer + 1;
  if (b->num_counters == 0) return;
  uint32_t now[TD_RPC_MAX_COUNTERS];
  b->read_counters(b->user, now);
  rpc->total_cycles += (uint32_t)(now[0] - rpc->layer_start[0]);
  if (layer >= b->profile_layers) return;
  uint32_t *rec = b->profile + (size_t)layer * b->num_counters;
  for (uint32_t k = 0; k < b->num_counters; k++) rec[k] = now[k] - rpc->layer_start[k];
  rpc->profile_records = layer + 1;
}

static td_rpc_status invoke(td_rpc *rpc, td_rpc_call *c) {
  if (c->req_len != 4) return TD_RPC_BAD_REQUEST;
  if (!rpc->model_ready) return TD_RPC_BAD_STATE;
  uint32_t stop = td_rpc_rd32(c->req);
  if (stop != TD_RPC_ALL_LAYERS && stop >= td_num_layers(&rpc->model)) return TD_RPC_OUT_OF_RANGE;
  rpc->layers_run = 0;
  rpc->profile_records = 0;
  rpc->total_cycles = 0;
  const td_hooks hooks = {before_layer, after_layer, rpc};
  td_status s = stop == TD_RPC_ALL_LAYERS ? td_invoke(&rpc->model, &hooks)
                                          : td_invoke_range(&rpc->model, 0, stop, &hooks);
  uint8_t *p = c->resp;
  td_rpc_wr32(p, (uint32_t)s);
  td_rpc_wr32(p + 4, s == TD_OK ? UINT32_MAX : rpc->model.failed_layer);
  td_rpc_wr32(p + 8, rpc->layers_run);
  td_rpc_wr32(p + 12, rpc->profile_records);
  td_rpc_wr32(p + 16, (uint32_t)rpc->total_cycles);
  td_rpc_wr32(p + 20, (uint32_t)(rpc->total_cycles >> 32));
  c->resp_len = 24;
  return s == TD_OK ? TD_RPC_OK : TD_RPC_RUNTIME;
}

static td_rpc_status read_tensor(td_rpc *rpc, td_rpc_call *c) {
  if (c->req_len != 12) return TD_RPC_BAD_REQUEST;
  if (!rpc->model_ready) return TD_RPC_BAD_STATE;
  uint32_t index = td_rpc_rd32(c->req), offset = td_rpc_rd32(c->req + 4);
  uint32_t max = td_rpc_rd32(c->req + 8);
  td_tensor t;
  td_status s = c->type == TD_RPC_GET_INPUT    ? td_input(&rpc->model, index, &t)
                : c->type == TD_RPC_GET_OUTPUT ? td_output(&rpc->model, index, &t)
                                               : td_tensor_at(&rpc->model, index, &t);
  if (s != TD_OK || offset > t.bytes) return TD_RPC_OUT_OF_RANGE;
  uint8_t *p = c->resp;
  memset(p, 0, TD_RPC_TENSOR_META_BYTES);
  p[0] = t.dtype;
  p[1] = t.rank;
  p[2] = t.is_const ? 1 : 0;
  td_rpc_wr32(p + 4, t.bytes);
  td_rpc_wr32(p + 8, (uint32_t)t.zero_point);
  uint32_t scale_bits;
  memcpy(&scale_bits, &t.scale, 4);
  td_rpc_wr32(p + 12, scale_bits);
  for (uint32_t i = 0; i < t.rank && i < TD_MAX_RANK; i++)
    td_rpc_wr32(p + 16 + 4 * i, (uint32_t)t.dims[i]);
  uint32_t n = min_u32(min_u32(max, t.bytes - offset), c->cap - TD_RPC_TENSOR_META_BYTES);
  if (n > 0) memcpy(p + TD_RPC_TENSOR_META_BYTES, (const uint8_t *)t.data + offset, n);
  c->resp_len = TD_RPC_TENSOR_META_BYTES + n;
  return TD_RPC_OK;
}

static td_rpc_status get_profile(td_rpc *rpc, td_rpc_call *c) {
  if (c->req_len != 6) return TD_RPC_BAD_REQUEST;
  uint32_t first = td_rpc_rd32(c->req), max = td_rpc_rd16(c->req + 4);
  uint32_t records = rpc->profile_records, per = rpc->board.num_counters;
  if (first > records) return TD_RPC_OUT_OF_RANGE;
  uint32_t n = min_u32(max, records - first);
  if (per > 0) n = min_u32(n, (c->cap - 12) / (4 * per));
  uint8_t *p = c->resp;
  td_rpc_wr32(p, records);
  td_rpc_wr32(p + 4, first);
  td_rpc_wr16(p + 8, n);
  p[10] = (uint8_t)per;
  p[11] = 0;
  if (n > 0) {
    const uint32_t *src = rpc->board.profile + (size_t)first * per;
    for (uint32_t i = 0; i < n * per; i++) td_rpc_wr32(p + 12 + 4 * i, src[i]);
  }
  c->resp_len = 12 + 4 * n * per;
  return TD_RPC_OK;
}

static td_rpc_status reset(td_rpc *rpc, td_rpc_call *c) {
  if (c->req_len != 1 || c->req[0] > TD_RPC_RESET_HARD) return TD_RPC_BAD_REQUEST;
  if (c->req[0] == TD_RPC_RESET_HARD) {
    if (rpc->board.reset == NULL) return TD_RPC_UNSUPPORTED;
    c->after = TD_RPC_AFTER_HARD_RESET;
  }
  td_rpc_unload(rpc);
  return TD_RPC_OK;
}

static td_rpc_status custom(td_rpc *rpc, td_rpc_call *c) {
  if (rpc->board.custom == NULL) return TD_RPC_UNKNOWN_TYPE;
  uint16_t n = (uint16_t)c->cap;
  td_rpc_status s =
      rpc->board.custom(rpc->board.user, c->type, c->req, (uint16_t)c->req_len, c->resp, &n);
  c->resp_len = n;
  return s;
}

td_rpc_status td_rpc_dispatch(td_rpc *rpc, td_rpc_call *c) {
  switch (c->type) {
    case TD_RPC_INFO: return info(rpc, c);
    case TD_RPC_ECHO: return echo(c);
    case TD_RPC_KERNELS: return kernels(c);
    case TD_RPC_LOAD_BEGIN: return load_begin(rpc, c);
    case TD_RPC_LOAD_CHUNK: return load_chunk(rpc, c);
    case TD_RPC_LOAD_COMMIT: return load_commit(rpc, c);
    case TD_RPC_SET_INPUT: return set_input(rpc, c);
    case TD_RPC_INVOKE: return invoke(rpc, c);
    case TD_RPC_GET_INPUT:
    case TD_RPC_GET_OUTPUT:
    case TD_RPC_GET_TENSOR: return read_tensor(rpc, c);
    case TD_RPC_GET_PROFILE: return get_profile(rpc, c);
    case TD_RPC_RESET: return reset(rpc, c);
    default:
      if (c->type >= TD_RPC_CUSTOM_FIRST && c->type <= TD_RPC_CUSTOM_LAST) return custom(rpc, c);
      return TD_RPC_UNKNOWN_TYPE;
  }
}

td_status td_rpc_load_resident(td_rpc *rpc, const void *pkg, size_t len) {
  if (len > UINT32_MAX) return TD_ERR_OUT_OF_BOUNDS;
  return load_model(rpc, pkg, (uint32_t)len);
}
