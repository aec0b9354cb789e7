#include "netinfer/reconstruct/training.hpp"

#include <cmath>
#include <numeric>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/reconstruct/adam.hpp"
#include "netinfer/reconstruct/metrics.hpp"

namespace netinfer::reconstruct {

namespace {

// The training examples in epoch order: position k of the endless sequence
// is permutation (k / count) at (k % count).
class EpochOrder {
 public:
  EpochOrder(std::size_t count, std::uint64_t seed) : seed_(seed), order_(count) {}
  std::size_t at(std::int64_t position) {
    const std::int64_t epoch = position / static_cast<std::int64_t>(order_.size());
    if (epoch != epoch_) shuffle(epoch);
    return order_[position % order_.size()];
  }

 private:
  void shuffle(std::int64_t epoch) {
    std::iota(order_.begin(), order_.end(), 0);
    Stream rng(seed_, purpose_id("epoch"), epoch);
    for (std::size_t k = order_.size() - 1; k > 0; --k)
      std::swap(order_[k], order_[rng.below(k + 1)]);
    epoch_ = epoch;
  }
  std::uint64_t seed_;
  std::int64_t epoch_ = -1;
  std::vector<std::size_t> order_;
};

}  // namespace

double mean_loss(const Model& model, const std::vector<Example>& examples, MPI_Comm comm) {
  if (examples.empty()) return std::nan("");
  const Range mine = block_range(examples.size(), mpi_size(comm), mpi_rank(comm));
  // Each example's loss comes from one rank (an example's output does not
  // depend on the examples beside it), so the exchange is exact and the sum,
  // in example order, is the same at any rank count.
  std::vector<double> losses(examples.size(), 0.0);
  for (std::int64_t a = mine.begin, next = a; a < mine.end; a = next) {
    next = std::min(mine.end, a + examples_per_call(examples[a].raster.rows()));
    const std::vector<Example> chunk(examples.begin() + a, examples.begin() + next);
    const auto outputs = model.predict(chunk);
    for (std::size_t k = 0; k < chunk.size(); ++k)
      losses[a + k] = reconstruction_loss(outputs[k], *chunk[k].target);
  }
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, losses.data(), static_cast<int>(losses.size()), MPI_DOUBLE,
                       MPI_SUM, comm));
  return std::accumulate(losses.begin(), losses.end(), 0.0) / examples.size();
}

TrainingLog train(Model& model, const std::vector<Example>& training,
                  const std::vector<Example>& validation, const TrainOptions& options,
                  MPI_Comm comm) {
  NI_REQUIRE(!training.empty(), "training: no training examples");
  NI_REQUIRE(options.steps > 0 && options.batch > 0 && options.validate_every > 0,
             "--steps, --batch and --validate-every must be positive");
  // Data parallelism that gives the same bits at any rank count: the batch is
  // cut into at most kChunks chunks of fixed size, each chunk's gradient is
  // computed alone by the rank that owns it (a batch's gradient sums over its
  // examples in an order that depends on the batch), the chunk gradients are
  // exchanged exactly (one non-zero contributor per entry) and added in chunk
  // order on every rank. Ranks beyond kChunks idle.
  constexpr int kChunks = 16;
  const int chunk = (options.batch + kChunks - 1) / kChunks;
  const int chunks = (options.batch + chunk - 1) / chunk;
  const Range mine = block_range(chunks, mpi_size(comm), mpi_rank(comm));
  Eigen::VectorXd& theta = model.parameters().values();
  const Eigen::Index size = theta.size();
  Adam adam(size, options.learning_rate);
  EpochOrder order(training.size(), options.seed);
  // Per chunk the gradient and, in its last entry, the chunk's summed loss.
  Eigen::MatrixXd slots(size + 1, chunks);
  Eigen::VectorXd slot(size + 1), reduced(size + 1);
  TrainingLog log;
  Stopwatch clock;
  Progress progress("train", options.steps, "steps", 5.0);
  for (int step = 0; step < options.steps; ++step) {
    slots.setZero();
    for (std::int64_t c = mine.begin; c < mine.end; ++c) {
      std::vector<Example> batch;
      for (std::int64_t k = c * chunk; k < std::min<std::int64_t>(options.batch, (c + 1) * chunk);
           ++k)
        batch.push_back(training[order.at(static_cast<std::int64_t>(step) * options.batch + k)]);
      slot.setZero();  // loss_gradient adds to the parameter blocks only
      slot(size) = model.loss_gradient(batch, 1.0 / options.batch, slot);
      slots.col(c) = slot;
    }
    NI_MPI(MPI_Allreduce(MPI_IN_PLACE, slots.data(), static_cast<int>(slots.size()), MPI_DOUBLE,
                         MPI_SUM, comm));
    reduced.setZero();
    for (int c = 0; c < chunks; ++c) reduced += slots.col(c);
    const double loss = reduced(size) / options.batch;
    NI_REQUIRE(std::isfinite(loss), "training diverged at step ", step + 1,
               " (loss is not finite; lower --learning-rate)");
    adam.step(theta, reduced.head(size));
    log.loss.push_back(loss);
    if ((step + 1) % options.validate_every == 0 || step + 1 == options.steps) {
      log.validation_step.push_back(step + 1);
      log.validation_loss.push_back(mean_loss(model, validation, comm));
    }
    progress.update(step + 1);
  }
  progress.finish();
  log.seconds = clock.seconds();
  return log;
}

}  // namespace netinfer::reconstruct
