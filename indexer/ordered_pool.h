// Running per-item work on several threads while consuming the results in
// item order, with a bounded number of results in flight.
#ifndef PAPERSEARCH_INDEXER_ORDERED_POOL_H_
#define PAPERSEARCH_INDEXER_ORDERED_POOL_H_

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace papersearch {

// Calls produce(i) for every i in [0, n) on `threads` worker threads and
// consume(i, result) on the calling thread in increasing i. At most `window`
// results exist at once, which bounds memory whatever the speed difference.
// With threads == 0 everything runs on the calling thread. An exception from
// produce is rethrown on the calling thread when its item's turn comes (the
// workers are stopped and joined first); consume may throw too.
template <typename Result, typename Produce, typename Consume>
void ForEachInOrder(size_t n, unsigned threads, size_t window, Produce produce,
                    Consume consume) {
  if (threads == 0 || n < 2) {
    for (size_t i = 0; i < n; ++i) consume(i, produce(i));
    return;
  }
  window = std::max<size_t>(window, threads);
  struct Slot {
    std::optional<Result> result;
    std::exception_ptr error;
    bool ready = false;
  };
  std::vector<Slot> slots(window);  // item i lives in slots[i % window]
  std::mutex mu;
  std::condition_variable changed;
  size_t next_item = 0;     // next item a worker may take
  size_t next_consume = 0;  // next item the caller consumes
  bool stop = false;

  auto worker = [&] {
    while (true) {
      size_t i;
      {
        std::unique_lock lock(mu);
        changed.wait(lock, [&] {
          return stop || next_item >= n || next_item < next_consume + window;
        });
        if (stop || next_item >= n) return;
        i = next_item++;
      }
      Slot local;
      try {
        local.result.emplace(produce(i));
      } catch (...) {
        local.error = std::current_exception();
      }
      {
        std::lock_guard lock(mu);
        Slot& slot = slots[i % window];
        slot.result = std::move(local.result);
        slot.error = local.error;
        slot.ready = true;
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  auto shut_down = [&] {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    changed.notify_all();
    for (std::thread& t : pool) t.join();
  };
  try {
    for (size_t i = 0; i < n; ++i) {
      Slot taken;
      {
        std::unique_lock lock(mu);
        Slot& slot = slots[i % window];
        changed.wait(lock, [&] { return slot.ready; });
        taken = std::move(slot);
        slot = Slot{};
      }
      if (taken.error) std::rethrow_exception(taken.error);
      {
        std::lock_guard lock(mu);
        next_consume = i + 1;
      }
      changed.notify_all();
      consume(i, std::move(*taken.result));
    }
  } catch (...) {
    shut_down();
    throw;
  }
  shut_down();
}

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_ORDERED_POOL_H_
