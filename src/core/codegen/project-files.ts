// The parts of the exported project that depend on the board or the model
// beyond the model sources: the Arm Compiler scatter file (derived from the
// board's GNU linker script) and the README.
import { aliasedRegion, type BoardMemory } from './linker-script.ts';

const hex = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;
const kb = (n: number): string => (n % 1024 === 0 ? `${n / 1024} KB` : `${n} bytes`);

/**
 * armlink scatter file: vectors then code and constants in TD_TEXT; .data
 * and .bss (RW_RAM) from the bottom of TD_RAM; the stack (ARM_LIB_STACK) at
 * its top, as the GNU script places them. Region names match td_armlink.h.
 */
export function scatterFile(board: string, memory: BoardMemory): string {
  const text = aliasedRegion(memory, 'TD_TEXT');
  const ram = aliasedRegion(memory, 'TD_RAM');
  if (memory.stackBytes <= 0 || memory.stackBytes >= ram.length) {
    throw new Error(`${board}: stack of ${memory.stackBytes} bytes does not fit TD_RAM`);
  }
  const ramTop = ram.origin + ram.length;
  return `; Arm Compiler 6 (armlink) scatter file for the ${board} board.
; Derived by TinyDeploy from firmware/boards/${board}/linker.ld:
;   TD_TEXT ${text.name} ${hex(text.origin)} ${kb(text.length)}: vectors, code, constants (the model)
;   TD_RAM  ${ram.name} ${hex(ram.origin)} ${kb(ram.length)}: .data, .bss (the arena), stack (${kb(memory.stackBytes)}) at the top
LR_TEXT ${hex(text.origin)} ${hex(text.length)}
{
  ER_TEXT ${hex(text.origin)} ${hex(text.length)}
  {
    * (.vectors, +FIRST)
    * (+RO)
  }
  RW_RAM ${hex(ram.origin)} ${hex(ram.length - memory.stackBytes)}
  {
    * (+RW, +ZI)
  }
  ARM_LIB_STACK ${hex(ramTop)} EMPTY -${hex(memory.stackBytes)}
  {
  }
}
`;
}

export interface ReadmeFacts {
  folder: string;
  modelName: string;
  modelFile: string;
  board: string;
  core: string;
  compiler: string;
  cflags: string;
  layers: number;
  macs: number;
  packageBytes: number;
  arenaBytes: number;
  activationBytes: number;
  scratchBytes: number;
  kernels: { name: string; id: number; codeBytes: number }[];
  runtimeCodeBytes: number;
  libraryBytes: number;
  vectors: { samples: number; source: string; haveExpected: boolean; tolerance: string };
  reports: string[];
}

export function readme(f: ReadmeFacts): string {
  const kernels = f.kernels.map((k) => `| \`${k.name}\` | ${k.id} | ${k.codeBytes} |`).join('\n');
  const reports =
    f.reports.length > 0
      ? `\n- \`report/\`: the TinyDeploy report files (${f.reports.map((r) => `\`${r}\``).join(', ')}).`
      : '';
  return `# ${f.modelName} on ${f.board}

A deployable build of \`${f.modelFile}\` for the **${f.board}** board (${f.core}),
exported by TinyDeploy. It holds the model as C, the TinyDeploy runtime as a
prebuilt static library with only the kernels this model uses, and an example
application that runs the model on stored test vectors and reports over the
board's UART whether the outputs match.

## The model

- ${f.layers} layers, ${f.macs.toLocaleString('en-US')} MACs.
- Model package: ${f.packageBytes} bytes of constant data (\`lib/model_data.c\`, placed in flash).
- Arena: **${f.arenaBytes} bytes** (\`TD_MODEL_ARENA_BYTES\`): ${f.activationBytes} bytes of
  activations as planned by the memory planner, rounded up to 16, plus
  ${f.scratchBytes} bytes of kernel scratch. Nothing is allocated at run time.
- Runtime: ${f.runtimeCodeBytes} bytes of code and constants for the core and
  the ${f.kernels.length} kernel(s) below (before the linker drops what is unused);
  \`lib/libtinydeploy.a\` is ${f.libraryBytes} bytes.

| kernel | id | code + constants (bytes) |
|---|---|---|
${kernels}

## Build

GNU Arm toolchain (\`arm-none-eabi-gcc\`, e.g. Debian/Ubuntu \`gcc-arm-none-eabi\`
and \`libnewlib-arm-none-eabi\`):

    make -C gcc                  # -> gcc/build/example.elf, example.bin

CMake (3.16 or newer) with the same toolchain:

    cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi-gcc.cmake
    cmake --build build          # -> build/example.elf, example.bin

Arm Compiler 6 (\`armclang\`, \`armlink\`, \`fromelf\`):

    make -C armclang             # -> armclang/build/example.axf, example.bin

Flash \`example.bin\` at the start of the code memory (see \`gcc/linker.ld\`) or
load \`example.elf\` with your debugger, open the board's UART at 115200 8N1,
and reset. The example prints:

    TinyDeploy example: ${f.modelName} on ${f.board}
    model: ${f.layers} layers, package ${f.packageBytes} bytes, arena ${f.arenaBytes} bytes
    sample 0: ... ticks (... us)
    outputs matched: ${f.vectors.samples} sample(s), max difference 0 step(s)

or the first output element that differs (\`output mismatch: ...\`).

The board support in \`src/board/\` is TinyDeploy's own (the same files its
validator firmware runs on ${f.board}): a vector table, reset, a polled UART and
a SysTick timer. On your own hardware, replace it with your vendor's start-up
code and provide \`td_board_init\`, \`td_board_write\` and \`td_board_info\` (see
\`td_board.h\`), with SysTick routed to \`td_systick_handler\` for the timing.

## Test vectors

${f.vectors.samples} sample(s) in \`src/test_vectors.c\`; expected outputs: ${f.vectors.haveExpected ? f.vectors.source : 'none stored (the example prints the outputs instead)'}.
Tolerance: ${f.vectors.tolerance} (\`src/test_vectors.h\`).

## Using the model in your application

Add \`lib/model.c\`, \`lib/model_data.c\` and \`lib/td_kernels_used.c\` to your
sources, \`lib/include\` to the include path, and link \`lib/libtinydeploy.a\`
(after your objects). Then:

    #include "model.h"

    model_init();
    memcpy(model_input(0), my_input, TD_MODEL_INPUT0_BYTES);
    model_invoke();
    const void *scores = model_output(0);

\`lib/include/model.h\` lists every input and output with its shape, type,
scale and zero point (\`TD_MODEL_INPUT0_*\`, \`model_inputs[]\`). Build with the
same floating-point ABI as the library: \`${f.cflags.split(' ').slice(0, 4).join(' ')}\`.
\`-DTD_MODEL_NO_STATIC_ARENA\` drops the built-in arena so you can pass your own
to \`model_init_with_arena\`; \`-DTD_MODEL_ARENA_SECTION='".my_ram"'\` and
\`-DTD_MODEL_DATA_SECTION='".my_flash"'\` place the arena and the model.

## What is here

- \`lib/\`: \`libtinydeploy.a\` (runtime + this model's kernels), \`include/\` (the
  runtime API \`td_runtime.h\`, \`td_kernels.h\`, and \`model.h\`), \`model.c\`,
  \`model_data.c\`, \`td_kernels_used.c\` (the runtime's kernel table: the kernels
  above and no others).
- \`src/\`: the example (\`main.c\`), its test vectors, and the board support in
  \`src/board/\` (vector table, reset, UART) from TinyDeploy's firmware.
- \`gcc/\`: Makefile and linker script; \`armclang/\`: Makefile and scatter file;
  \`CMakeLists.txt\` and \`cmake/arm-none-eabi-gcc.cmake\`.
- \`model/\`: the original \`.tflite\` and the model package (\`.tdpk\`).${reports}
- \`manifest.json\`: what this export was built from.

The library was compiled with ${f.compiler}:
\`${f.cflags}\`
`;
}
