# The CUDA checking backend of `orinsim check` (soc/measure/cuda/, docs/check.md).
#
#   -DORINSIM_CUDA=AUTO   (default) build it when CMake finds a CUDA compiler
#   -DORINSIM_CUDA=ON     require it: fail the configure without CUDA
#   -DORINSIM_CUDA=OFF    never build it; `orinsim check` then says it needs a CUDA build
#
# The backend needs the CUDA toolkit with cuBLASLt (NVIDIA's cuda-toolkit / Debian's
# nvidia-cuda-toolkit + libcublas). cuDNN (libcudnn9-dev-cuda-13 or libcudnn9-dev-cuda-12,
# cudnn.h and libcudnn.so) adds conv ops; cuSPARSELt (libcusparselt-dev, cusparseLt.h and
# libcusparseLt.so) adds 2:4 sparse gemm. Each optional library is looked for with
# find_path / find_library; without it the matching ops are skipped with a note.
# CMAKE_CUDA_ARCHITECTURES defaults to the compute capabilities configs/gpus/ describes.
set(ORINSIM_CUDA AUTO CACHE STRING "Build the CUDA checking backend: AUTO, ON or OFF")
set_property(CACHE ORINSIM_CUDA PROPERTY STRINGS AUTO ON OFF)

set(ORINSIM_HAVE_CUDA OFF)
# Sanitizer and fuzzing builds instrument C code linked by the host compiler; the CUDA
# runtime does not run under AddressSanitizer's default shadow layout. Those builds test
# the simulator, so they leave the backend out.
if((ORINSIM_SANITIZE OR ORINSIM_FUZZ) AND NOT ORINSIM_CUDA STREQUAL "OFF")
  if(ORINSIM_CUDA STREQUAL "ON")
    message(FATAL_ERROR "ORINSIM_CUDA=ON cannot be combined with ORINSIM_SANITIZE or ORINSIM_FUZZ")
  endif()
  message(STATUS "orinsim: sanitizer/fuzz build: the CUDA checking backend is left out")
  set(ORINSIM_CUDA_EFFECTIVE OFF)
else()
  set(ORINSIM_CUDA_EFFECTIVE ${ORINSIM_CUDA})
endif()
if(NOT ORINSIM_CUDA_EFFECTIVE STREQUAL "OFF")
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 80 86 87 89 90)
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit)
  endif()
  if(CMAKE_CUDA_COMPILER AND TARGET CUDA::cublasLt AND TARGET CUDA::cudart)
    set(ORINSIM_HAVE_CUDA ON)
  elseif(ORINSIM_CUDA STREQUAL "ON")
    message(FATAL_ERROR "ORINSIM_CUDA=ON but no CUDA compiler with cuBLASLt was found. Install "
      "the CUDA toolkit (nvcc, cuBLAS) or set CUDACXX to nvcc, or configure with -DORINSIM_CUDA=AUTO.")
  else()
    message(STATUS "orinsim: no CUDA compiler with cuBLASLt: `orinsim check` is not built "
      "(`orinsim compare` is)")
  endif()
endif()

if(ORINSIM_HAVE_CUDA)
  # A module loaded with dlopen by `orinsim check` only (soc/measure/check_load.c): every other
  # command starts without loading the CUDA libraries (cuBLASLt and cuDNN alone take tens
  # of milliseconds to map).
  add_library(orinsim_cuda MODULE
    ${CMAKE_SOURCE_DIR}/soc/measure/cuda/check_cuda.cu
    ${CMAKE_SOURCE_DIR}/soc/measure/cuda/check_blas.cu
    ${CMAKE_SOURCE_DIR}/soc/measure/cuda/check_dnn.cu
    ${CMAKE_SOURCE_DIR}/soc/measure/cuda/check_attn.cu)
  # The project's C flags (warnings, sanitizers) are not nvcc flags: start clean and pass
  # the warning flags to the host compiler.
  set_property(TARGET orinsim_cuda PROPERTY COMPILE_OPTIONS "")
  target_compile_options(orinsim_cuda PRIVATE
    $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra --expt-relaxed-constexpr>)
  if(ORINSIM_WERROR)
    target_compile_options(orinsim_cuda PRIVATE
      $<$<COMPILE_LANGUAGE:CUDA>:-Werror=all-warnings -Xcompiler=-Werror>)
  endif()
  set_target_properties(orinsim_cuda PROPERTIES CUDA_STANDARD 17 CUDA_STANDARD_REQUIRED ON
    POSITION_INDEPENDENT_CODE ON)
  target_include_directories(orinsim_cuda PRIVATE ${CMAKE_SOURCE_DIR})
  target_link_libraries(orinsim_cuda PUBLIC CUDA::cudart CUDA::cublasLt)
  set(orinsim_cuda_libs "cuBLASLt")

  find_path(CUDNN_INCLUDE_DIR cudnn.h
    HINTS ${CUDAToolkit_INCLUDE_DIRS} ENV CUDNN_ROOT PATH_SUFFIXES include)
  find_library(CUDNN_LIBRARY cudnn
    HINTS ${CUDAToolkit_LIBRARY_DIR} ENV CUDNN_ROOT PATH_SUFFIXES lib lib64)
  if(CUDNN_INCLUDE_DIR AND CUDNN_LIBRARY)
    target_include_directories(orinsim_cuda PRIVATE ${CUDNN_INCLUDE_DIR})
    target_link_libraries(orinsim_cuda PUBLIC ${CUDNN_LIBRARY})
    target_compile_definitions(orinsim_cuda PRIVATE ORINSIM_HAVE_CUDNN=1)
    string(APPEND orinsim_cuda_libs ", cuDNN")
  else()
    message(STATUS "orinsim: cuDNN not found: conv ops of `orinsim check` are skipped "
      "(apt-get install libcudnn9-dev-cuda-13, or set CUDNN_ROOT)")
  endif()

  find_path(CUSPARSELT_INCLUDE_DIR cusparseLt.h
    HINTS ${CUDAToolkit_INCLUDE_DIRS} ENV CUSPARSELT_ROOT PATH_SUFFIXES include)
  find_library(CUSPARSELT_LIBRARY cusparseLt
    HINTS ${CUDAToolkit_LIBRARY_DIR} ENV CUSPARSELT_ROOT PATH_SUFFIXES lib lib64)
  if(CUSPARSELT_INCLUDE_DIR AND CUSPARSELT_LIBRARY)
    target_include_directories(orinsim_cuda PRIVATE ${CUSPARSELT_INCLUDE_DIR})
    target_link_libraries(orinsim_cuda PUBLIC ${CUSPARSELT_LIBRARY} CUDA::cusparse)
    target_compile_definitions(orinsim_cuda PRIVATE ORINSIM_HAVE_CUSPARSELT=1)
    string(APPEND orinsim_cuda_libs ", cuSPARSELt")
  else()
    message(STATUS "orinsim: cuSPARSELt not found: 2:4 sparse gemm ops of `orinsim check` are "
      "skipped (apt-get install libcusparselt-dev, or set CUSPARSELT_ROOT)")
  endif()

  set_target_properties(orinsim_cuda PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  target_compile_definitions(orinsim_core PUBLIC ORINSIM_HAVE_CUDA=1
    ORINSIM_CUDA_MODULE="$<TARGET_FILE:orinsim_cuda>")
  target_link_libraries(orinsim_core PUBLIC ${CMAKE_DL_LIBS})
  add_dependencies(orinsim_core orinsim_cuda)
  message(STATUS "orinsim: CUDA checking backend: CUDA ${CUDAToolkit_VERSION}, "
    "${orinsim_cuda_libs}; architectures ${CMAKE_CUDA_ARCHITECTURES}")
endif()

# tests/cli/check_measured.sh exits 77 when tests/data/measured/ holds no file: ctest
# reports it as skipped, not passed. The test is added later by the tests/cli glob.
function(orinsim_check_test_properties)
  if(TEST cli_check_measured)
    set_tests_properties(cli_check_measured PROPERTIES SKIP_RETURN_CODE 77)
  endif()
endfunction()
cmake_language(DEFER CALL orinsim_check_test_properties)
