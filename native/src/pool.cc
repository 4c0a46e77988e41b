#include "pool.h"
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

// The caller claims parts too and returns as soon as every part is done — it never waits for a worker that the OS
// has not scheduled yet (on the shared 2-core machines the second core is often busy). A late worker only finds the
// job exhausted; it holds the job through a shared_ptr, so nothing it touches dangles.
namespace fomlab {
namespace {
struct Job {
  std::function<void(int, int)> fn;
  int parts = 0;
  std::atomic<int> next{0}, done{0};
};

struct Pool {
  std::mutex mu;
  std::condition_variable cv, doneCv;
  std::shared_ptr<Job> job;
  long generation = 0;
  bool stop = false;
  std::vector<std::thread> workers;
  int threads = 1;
  /** true: every job runs on its calling thread (same parts, so the same sums) */
  std::atomic<bool> serial{false};

  Pool() {
    unsigned hw = std::thread::hardware_concurrency();
    threads = hw ? static_cast<int>(hw) : 1;
    if (const char* e = std::getenv("FOMLAB_THREADS")) { int t = std::atoi(e); if (t >= 1) threads = t; }
    if (threads > 16) threads = 16;
    for (int t = 1; t < threads; t++) workers.emplace_back([this] { loop(); });
  }
  ~Pool() {
    { std::lock_guard<std::mutex> l(mu); stop = true; generation++; }
    cv.notify_all();
    for (auto& w : workers) w.join();
  }
  void work(Job& j) {
    for (int p; (p = j.next.fetch_add(1)) < j.parts;) {
      j.fn(p, j.parts);
      if (j.done.fetch_add(1) + 1 == j.parts) { std::lock_guard<std::mutex> l(mu); doneCv.notify_all(); }
    }
  }
  void loop() {
    long seen = 0;
    for (;;) {
      std::shared_ptr<Job> j;
      {
        std::unique_lock<std::mutex> l(mu);
        cv.wait(l, [&] { return generation != seen; });
        seen = generation;
        if (stop) return;
        j = job;
      }
      if (j) work(*j);
    }
  }
  void run(int n, const std::function<void(int, int)>& fn) {
    if (threads == 1 || n == 1 || serial.load()) { for (int p = 0; p < n; p++) fn(p, n); return; }
    auto j = std::make_shared<Job>();
    j->fn = fn;
    j->parts = n;
    { std::lock_guard<std::mutex> l(mu); job = j; generation++; }
    cv.notify_all();
    work(*j);
    std::unique_lock<std::mutex> l(mu);
    doneCv.wait(l, [&] { return j->done.load() == n; });
    if (job == j) job.reset();
  }
};
Pool& pool() { static Pool p; return p; }
}  // namespace

int pool_threads() { return pool().threads; }
void set_pool_serial(bool serial) { pool().serial.store(serial); }
bool pool_serial() { return pool().serial.load(); }
void parallel_run(int parts, const std::function<void(int, int)>& fn) { pool().run(parts, fn); }
}  // namespace fomlab
