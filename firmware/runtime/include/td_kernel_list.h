/*
 * Every kernel this runtime can be built with: one line per kernel,
 * TD_KERNEL(<name>), where firmware/runtime/kernels/<name>.c defines
 * `const td_kernel td_kernel_<name>`. td_kernel_table.c expands the list.
 *
 * A build that needs only some kernels (a firmware for one model) passes
 * -DTD_KERNEL_LIST='"its_list.h"' naming a file of the same form holding
 * just those lines, and compiles just those kernel files.
 *
 * No include guard: the file is meant to be expanded with different
 * TD_KERNEL definitions.
 */
TD_KERNEL(reshape)
TD_KERNEL(conv_2d_s8)
TD_KERNEL(conv_2d_s16)
TD_KERNEL(conv_2d_f32)
TD_KERNEL(depthwise_conv_2d_s8)
TD_KERNEL(depthwise_conv_2d_f32)
TD_KERNEL(fully_connected_s8)
TD_KERNEL(fully_connected_s16)
TD_KERNEL(fully_connected_f32)
TD_KERNEL(average_pool_2d_s8)
TD_KERNEL(average_pool_2d_f32)
TD_KERNEL(max_pool_2d_s8)
TD_KERNEL(max_pool_2d_f32)
TD_KERNEL(transpose_conv_s16)
TD_KERNEL(add_s8)
TD_KERNEL(sub_s8)
TD_KERNEL(mul_s8)
TD_KERNEL(softmax_s8)
TD_KERNEL(quantize_s8)
TD_KERNEL(dequantize_s8)
TD_KERNEL(logistic_s8)
TD_KERNEL(tanh_s8)
TD_KERNEL(relu_s8)
TD_KERNEL(relu6_s8)
TD_KERNEL(leaky_relu_s8)
TD_KERNEL(hard_swish_s8)
TD_KERNEL(concatenation_s8)
TD_KERNEL(pad_s8)
TD_KERNEL(mean_s8)
TD_KERNEL(strided_slice_s8)
TD_KERNEL(transpose_s8)
TD_KERNEL(maximum_s8)
TD_KERNEL(minimum_s8)
TD_KERNEL(add_s16)
TD_KERNEL(sub_s16)
TD_KERNEL(leaky_relu_s16)
TD_KERNEL(pad_s16)
TD_KERNEL(strided_slice_s16)
TD_KERNEL(quantize_s16)
TD_KERNEL(add_f32)
TD_KERNEL(mul_f32)
TD_KERNEL(softmax_f32)
TD_KERNEL(logistic_f32)
TD_KERNEL(tanh_f32)
TD_KERNEL(relu_f32)
TD_KERNEL(relu6_f32)
