// A tiny persistent pool: the calling thread plus (threads-1) workers run one job split in parts.
// Hand-written (not OpenMP) so the addon needs no libgomp at install time.
#pragma once
#include <functional>

namespace fomlab {
/** number of threads (hardware concurrency, capped by FOMLAB_THREADS) */
int pool_threads();
/**
 * serial = true: jobs run on their calling thread, split into the same parts (so the same numbers);
 * for callers that are themselves parallel, e.g. an ensemble with one JS worker per core.
 */
void set_pool_serial(bool serial);
/** whether jobs run serially (set_pool_serial) */
bool pool_serial();
/** runs fn(part, parts) for part in [0, parts) on up to pool_threads() threads and waits */
void parallel_run(int parts, const std::function<void(int, int)>& fn);
}  // namespace fomlab
