#!/usr/bin/env bash
# The test suites under the sanitizers, each configuration in a build folder of its own that is
# kept between runs (docs/FUZZING.md, "Sanitizers"). Builds only the targets the suites need.
#   scripts/sanitizer_tests.sh address   ASan+UBSan: the unit suites (build-asan/)
#   scripts/sanitizer_tests.sh thread    TSan: the threaded suites, worker, pipelines, viewer state (build-tsan/)
# LibTorch is not instrumented: tests/sanitizers/*.supp hold the suppressions for reports inside it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
supp=$root/tests/sanitizers
jobs=$(nproc)
stage_start=$SECONDS

configure_and_build() {  # build dir, -fsanitize list, targets...
  local dir=$1 list=$2
  shift 2
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNT_SANITIZE="$list" >/dev/null
  cmake --build "$dir" -j"$jobs" --target "$@"
}

case "${1:-}" in
  address)
    dir=$root/build-asan
    configure_and_build "$dir" address,undefined nt_core_tests nt_synthesis_tests nt_fuzz_corpus_tests nt_cli_tests
    echo "sanitizers: ASan+UBSan build took $((SECONDS - stage_start)) s"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
    cd "$dir"
    for suite in nt_core_tests nt_synthesis_tests nt_fuzz_corpus_tests nt_cli_tests; do
      echo "sanitizers: ASan+UBSan $suite"
      "bin/$suite" --gtest_brief=1
    done
    ;;
  thread)
    dir=$root/build-tsan
    configure_and_build "$dir" thread nt_viewer_tests
    echo "sanitizers: TSan build took $((SECONDS - stage_start)) s"
    # One OpenMP thread: libgomp is not instrumented, and its worker threads' synchronisation
    # would be invisible to TSan (false races on every tensor they touch); our own threads stay.
    export OMP_NUM_THREADS=1
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp"
    cd "$dir"
    echo "sanitizers: TSan nt_viewer_tests (worker, pipelines, stage keys, viewer state, exports, the full-size export, live video)"
    bin/nt_viewer_tests --gtest_brief=1 \
      --gtest_filter='StylizePipeline.*:NeuralPipeline.*:GatysPipeline.*:IterativePipeline.*:ViewerState.*:StageKeys.*:FullSizeExport.*:ExclusiveExport.*:LatestSlot.*:VideoSource.*:VideoSession.*'
    ;;
  *)
    echo "usage: $0 address|thread" >&2
    exit 2
    ;;
esac
echo "sanitizers: $1 stage took $((SECONDS - stage_start)) s (build and run)"
