#include "pool.h"
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace fomlab {
namespace {
struct Pool {
  std::mutex mu;
  std::condition_variable cv, done_cv;
  const std::function<void(int, int)>* job = nullptr;
  int parts = 0;
  std::atomic<int> next{0};
  int pending = 0;
  long generation = 0;
  std::vector<std::thread> workers;
  int threads = 1;

  Pool() {
    unsigned hw = std::thread::hardware_concurrency();
    threads = hw ? static_cast<int>(hw) : 1;
    if (const char* e = std::getenv("FOMLAB_THREADS")) { int t = std::atoi(e); if (t >= 1) threads = t; }
    if (threads > 16) threads = 16;
    for (int t = 1; t < threads; t++) workers.emplace_back([this] { loop(); });
  }
  ~Pool() {
    { std::lock_guard<std::mutex> l(mu); parts = -1; generation++; }
    cv.notify_all();
    for (auto& w : workers) w.join();
  }
  void drain(const std::function<void(int, int)>& fn, int n) {
    for (int p; (p = next.fetch_add(1)) < n;) fn(p, n);
  }
  void loop() {
    long seen = 0;
    for (;;) {
      const std::function<void(int, int)>* fn;
      int n;
      {
        std::unique_lock<std::mutex> l(mu);
        cv.wait(l, [&] { return generation != seen; });
        seen = generation;
        if (parts < 0) return;
        fn = job; n = parts;
      }
      drain(*fn, n);
      std::lock_guard<std::mutex> l(mu);
      if (--pending == 0) done_cv.notify_one();
    }
  }
  void run(int n, const std::function<void(int, int)>& fn) {
    if (threads == 1 || n == 1) { for (int p = 0; p < n; p++) fn(p, n); return; }
    {
      std::lock_guard<std::mutex> l(mu);
      job = &fn; parts = n; next = 0; pending = threads - 1; generation++;
    }
    cv.notify_all();
    drain(fn, n);
    std::unique_lock<std::mutex> l(mu);
    done_cv.wait(l, [&] { return pending == 0; });
  }
};
Pool& pool() { static Pool p; return p; }
}  // namespace

int pool_threads() { return pool().threads; }
void parallel_run(int parts, const std::function<void(int, int)>& fn) { pool().run(parts, fn); }
}  // namespace fomlab
