// A tiny persistent pool: the calling thread plus (threads-1) workers run one job split in parts.
// Hand-written (not OpenMP) so the addon needs no libgomp at install time.
#pragma once
#include <functional>

namespace fomlab {
/** number of threads (hardware concurrency, capped by FOMLAB_THREADS) */
int pool_threads();
/** runs fn(part, parts) for part in [0, parts) on up to pool_threads() threads and waits */
void parallel_run(int parts, const std::function<void(int, int)>& fn);
}  // namespace fomlab
