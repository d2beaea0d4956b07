#include "platform/base/worker_pool.h"

#include <algorithm>
#include <utility>

#include "platform/base/background_thread.h"

namespace oms {

WorkerPool::WorkerPool(std::string name, size_t max_threads)
    : name_(std::move(name)), max_threads_(max_threads) {}

WorkerPool::~WorkerPool() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  for (std::thread& thread : threads) thread.join();
}

size_t WorkerPool::threads() {
  absl::MutexLock lock(&mu_);
  return threads_.size();
}

bool WorkerPool::Take(Round& round, size_t& index) {  // `round` is in rounds_ until all are taken
  if (round.next == round.tasks.size()) return false;
  index = round.next++;
  if (round.next == round.tasks.size()) {
    rounds_.erase(std::find(rounds_.begin(), rounds_.end(), &round));
  }
  return true;
}

void WorkerPool::RunAll(std::vector<std::function<void()>> tasks) {
  if (tasks.size() == 1) tasks[0]();
  if (tasks.size() <= 1) return;
  Round round{std::move(tasks)};
  absl::MutexLock lock(&mu_);
  rounds_.push_back(&round);
  // The caller takes one task; a thread for each other one, as far as the limit allows.
  const size_t helpers = std::min(round.tasks.size() - 1, max_threads_);
  while (idle_ < helpers && threads_.size() < max_threads_) {
    ++idle_;  // counted idle from its start, so the next round does not start another
    threads_.emplace_back([this] { Work(); });
  }
  size_t index;
  while (Take(round, index)) {
    mu_.Unlock();
    round.tasks[index]();
    mu_.Lock();
    ++round.finished;
  }
  auto all_finished = [&round] { return round.finished == round.tasks.size(); };
  mu_.Await(absl::Condition(&all_finished));
}

void WorkerPool::Work() {
  BecomeBackgroundThread(name_);
  absl::MutexLock lock(&mu_);
  auto work_or_stop = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !rounds_.empty();
  };
  while (true) {
    mu_.Await(absl::Condition(&work_or_stop));
    if (rounds_.empty()) return;  // stopping, and no round waits
    Round& round = *rounds_.front();
    size_t index;
    Take(round, index);  // a round in rounds_ has a task left
    --idle_;
    mu_.Unlock();
    round.tasks[index]();
    mu_.Lock();
    ++idle_;
    ++round.finished;  // the round's caller may return now: `round` is not touched again
  }
}

}  // namespace oms
