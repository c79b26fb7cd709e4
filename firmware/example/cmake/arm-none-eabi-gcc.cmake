# CMake toolchain file for GNU Arm (arm-none-eabi-gcc), bare metal:
#   cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi-gcc.cmake
# Set TD_TOOLCHAIN_PREFIX for a toolchain that is not on PATH, e.g.
#   -DTD_TOOLCHAIN_PREFIX=/opt/arm/bin/arm-none-eabi-
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

if(NOT DEFINED TD_TOOLCHAIN_PREFIX)
  set(TD_TOOLCHAIN_PREFIX arm-none-eabi-)
endif()
set(CMAKE_C_COMPILER ${TD_TOOLCHAIN_PREFIX}gcc)
set(CMAKE_ASM_COMPILER ${TD_TOOLCHAIN_PREFIX}gcc)
set(CMAKE_AR ${TD_TOOLCHAIN_PREFIX}ar)
set(CMAKE_OBJCOPY ${TD_TOOLCHAIN_PREFIX}objcopy)
set(CMAKE_SIZE ${TD_TOOLCHAIN_PREFIX}size)

# Test compiles cannot link a bare-metal program without our linker script.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
