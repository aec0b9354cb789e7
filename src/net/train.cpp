#include "netinfer/net/train.hpp"

#include <omp.h>

#include <algorithm>
#include <numeric>

#include "engine.hpp"
#include "flat.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "optimizer.hpp"

namespace netinfer::net {

namespace {

// Images per micro-batch: the unit of work of a thread or rank. Fixed, so
// the gradient's summation order never depends on the thread or rank count.
constexpr std::int64_t kMicroBatch = 32;

void check_set(const Network& network, const Eigen::Index rows, const std::vector<int>& labels,
               const char* what) {
  const Architecture& arch = network.architecture();
  const int last = arch.layer_count() - 1;
  NI_REQUIRE(!arch.general(),
             "netinfer trains sequential architectures only (conv, maxpool, "
             "linear); train a general network in PyTorch and export it to ONNX");
  NI_REQUIRE(arch.spec(last).activation == Activation::Softmax,
             "training needs a softmax output layer (architecture '", arch.to_string(), "')");
  NI_REQUIRE(rows == arch.shape(0).size(), what, ": images have ", rows,
             " values each, the architecture's INPUT needs ", arch.shape(0).size());
  const std::int64_t classes = arch.shape(last).size();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    NI_REQUIRE(labels[i] >= 0 && labels[i] < classes, what, ": label ", labels[i], " of image ", i,
               " is outside 0..", classes - 1, " (the output layer's size)");
  }
}

// Per-thread engines with their batch matrices.
template <typename T>
struct Worker {
  explicit Worker(const Architecture& arch)
      : engine(arch), acts(arch.neuron_count(), kMicroBatch) {}
  detail::Engine<T> engine;
  detail::Mat<T> acts;
};

template <typename T>
std::vector<Worker<T>> workers(const Architecture& arch, int threads) {
  std::vector<Worker<T>> w;
  w.reserve(threads);
  for (int t = 0; t < threads; ++t) w.emplace_back(arch);
  return w;
}

// Runs the forward pass of images [begin, begin + count) of `set` (in the
// order `order`, or natural order when empty) in `worker`'s batch matrix.
template <typename T>
auto forward_micro_batch(Worker<T>& worker, const detail::ParameterPointers<const T>& params,
                         const LabelledImages& set, const std::vector<std::int64_t>& order,
                         std::int64_t begin, std::int64_t count, std::vector<int>& labels) {
  const Eigen::Index inputs = set.images.rows();
  auto acts = worker.acts.leftCols(count);
  labels.resize(count);
  for (std::int64_t j = 0; j < count; ++j) {
    const std::int64_t i = order.empty() ? begin + j : order[begin + j];
    acts.col(j).head(inputs) = set.images.col(i).template cast<T>();
    labels[j] = set.labels[i];
  }
  worker.engine.forward(params, acts);
  return acts;
}

// Number of images of `set` whose largest output is the label, over the
// micro-batches this rank owns; summed over `comm`.
template <typename T>
std::int64_t count_correct(std::vector<Worker<T>>& ws,
                           const detail::ParameterPointers<const T>& params,
                           const Architecture& arch, const LabelledImages& set, MPI_Comm comm) {
  const std::int64_t chunks = (set.size() + kMicroBatch - 1) / kMicroBatch;
  const Range mine = block_range(chunks, mpi_size(comm), mpi_rank(comm));
  const int last = arch.layer_count() - 1;
  std::int64_t correct = 0;
#pragma omp parallel num_threads(static_cast <int>(ws.size())) reduction(+ : correct)
  {
    Worker<T>& w = ws[omp_get_thread_num()];
    std::vector<int> labels;
#pragma omp for schedule(static)
    for (std::int64_t c = mine.begin; c < mine.end; ++c) {
      const std::int64_t begin = c * kMicroBatch, count = std::min(kMicroBatch, set.size() - begin);
      const auto acts = forward_micro_batch(w, params, set, {}, begin, count, labels);
      const auto out = acts.middleRows(arch.offset(last), arch.shape(last).size());
      for (std::int64_t j = 0; j < count; ++j) {
        Eigen::Index best = 0;
        out.col(j).maxCoeff(&best);
        correct += best == labels[j];
      }
    }
  }
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, &correct, 1, MPI_INT64_T, MPI_SUM, comm));
  return correct;
}

// Eigen parallelises a large GEMM by itself when it runs outside a team of
// several threads (so inside a one-thread team too), and its blocking, hence
// its rounding, then depends on the thread count. Training's only parallelism
// is the micro-batches, so Eigen runs sequentially while it lasts.
class SequentialEigen {
 public:
  SequentialEigen() : before_(Eigen::nbThreads()) { Eigen::setNbThreads(1); }
  ~SequentialEigen() { Eigen::setNbThreads(before_); }
  SequentialEigen(const SequentialEigen&) = delete;
  SequentialEigen& operator=(const SequentialEigen&) = delete;

 private:
  int before_;
};

int resolve_threads(int threads) {
  NI_REQUIRE(threads >= 0, "threads must be >= 0 (0: OpenMP's default), not ", threads);
  return threads > 0 ? threads : omp_get_max_threads();
}

}  // namespace

std::vector<EpochReport> train(Network& network, const LabelledImages& train_set,
                               const LabelledImages& test_set, const TrainOptions& options,
                               const std::function<void(const EpochReport&)>& on_epoch,
                               MPI_Comm comm) {
  NI_REQUIRE(options.epochs >= 1, "epochs must be >= 1, not ", options.epochs);
  NI_REQUIRE(options.batch >= 1, "batch must be >= 1, not ", options.batch);
  NI_REQUIRE(train_set.size() > 0, "training set is empty");
  check_set(network, train_set.images.rows(), train_set.labels, "training set");
  if (test_set.size() > 0) check_set(network, test_set.images.rows(), test_set.labels, "test set");
  const int threads = resolve_threads(options.threads);
  const Architecture& arch = network.architecture();
  const SequentialEigen sequential;

  network.initialise(options.seed);
  const detail::ParameterLayout layout(arch);
  std::vector<float> weights = detail::flatten<float>(network, layout), gradient(layout.size);
  const auto params = detail::pointers<const float>(layout, weights.data());
  detail::Optimiser optimiser(options, layout.size, threads);
  auto ws = workers<float>(arch, threads);

  const std::int64_t n = train_set.size(), batch = options.batch;
  const std::int64_t steps = (n + batch - 1) / batch;
  const std::int64_t chunks_per_batch = (batch + kMicroBatch - 1) / kMicroBatch;
  std::vector<std::vector<float>> chunk_gradient(chunks_per_batch, std::vector<float>(layout.size));
  std::vector<double> chunk_loss(chunks_per_batch);
  std::vector<std::int64_t> order(n);
  std::vector<EpochReport> reports;

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    Stopwatch clock;
    // Fisher-Yates shuffle from the epoch's own stream.
    std::iota(order.begin(), order.end(), 0);
    Stream shuffle(options.seed, purpose_id("train.shuffle"), static_cast<std::uint64_t>(epoch));
    for (std::int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[shuffle.below(i + 1)]);

    double epoch_loss = 0;
    for (std::int64_t s = 0; s < steps; ++s) {
      const std::int64_t first = s * batch, size = std::min(batch, n - first);
      const std::int64_t chunks = (size + kMicroBatch - 1) / kMicroBatch;
      const Range mine = block_range(chunks, mpi_size(comm), mpi_rank(comm));
      const float scale = 1.0f / static_cast<float>(size);
#pragma omp parallel num_threads(threads)
      {
        Worker<float>& w = ws[omp_get_thread_num()];
        std::vector<int> labels;
#pragma omp for schedule(static)
        for (std::int64_t c = mine.begin; c < mine.end; ++c) {
          const std::int64_t begin = first + c * kMicroBatch;
          const std::int64_t count = std::min(kMicroBatch, first + size - begin);
          const auto acts = forward_micro_batch(w, params, train_set, order, begin, count, labels);
          chunk_loss[c] =
              w.engine.backward(params, acts, labels.data(), scale,
                                detail::pointers<float>(layout, chunk_gradient[c].data()));
        }
      }
      // This rank's micro-batches summed in order, then over the ranks.
      double loss = 0;
      for (std::int64_t c = mine.begin; c < mine.end; ++c) loss += chunk_loss[c];
      const std::int64_t total = layout.size;
#pragma omp parallel for schedule(static) num_threads(threads)
      for (std::int64_t i = 0; i < total; ++i) {
        float sum = 0;
        for (std::int64_t c = mine.begin; c < mine.end; ++c) sum += chunk_gradient[c][i];
        gradient[i] = sum;
      }
      if (mpi_size(comm) > 1) {
        NI_MPI(MPI_Allreduce(MPI_IN_PLACE, gradient.data(), static_cast<int>(total), MPI_FLOAT,
                             MPI_SUM, comm));
        NI_MPI(MPI_Allreduce(MPI_IN_PLACE, &loss, 1, MPI_DOUBLE, MPI_SUM, comm));
      }
      optimiser.step(weights, gradient);
      epoch_loss += loss;
    }

    EpochReport r;
    r.epoch = epoch;
    r.seconds = clock.seconds();
    r.loss = epoch_loss / static_cast<double>(n);
    r.images_per_second = static_cast<double>(n) / r.seconds;
    r.test_accuracy =
        test_set.size() == 0
            ? 0.0
            : static_cast<double>(count_correct<float>(ws, params, arch, test_set, comm)) /
                  static_cast<double>(test_set.size());
    reports.push_back(r);
    if (on_epoch) on_epoch(r);
  }
  detail::unflatten(weights, layout, network);
  return reports;
}

double accuracy(const Network& network, const LabelledImages& set) {
  check_set(network, set.images.rows(), set.labels, "accuracy");
  if (set.size() == 0) return 0.0;
  auto ws = workers<double>(network.architecture(), resolve_threads(0));
  const std::int64_t correct = count_correct<double>(ws, detail::pointers(network),
                                                     network.architecture(), set, MPI_COMM_SELF);
  return static_cast<double>(correct) / static_cast<double>(set.size());
}

LossGradient loss_gradient(const Network& network, const Matrix& images,
                           const std::vector<int>& labels) {
  NI_REQUIRE(images.cols() == static_cast<Eigen::Index>(labels.size()),
             "loss_gradient: ", images.cols(), " images but ", labels.size(), " labels");
  check_set(network, images.rows(), labels, "loss_gradient");
  const Architecture& arch = network.architecture();
  const detail::ParameterLayout layout(arch);
  std::vector<double> flat(layout.size);
  detail::Engine<double> engine(arch);
  Matrix acts(arch.neuron_count(), images.cols());
  acts.topRows(images.rows()) = images;
  engine.forward(detail::pointers(network), acts);
  LossGradient result;
  result.loss = engine.backward(detail::pointers(network), acts, labels.data(),
                                1.0 / static_cast<double>(images.cols()),
                                detail::pointers<double>(layout, flat.data())) /
                static_cast<double>(images.cols());
  Network shaped(arch);
  detail::unflatten(flat, layout, shaped);
  for (int l = 0; l < arch.layer_count(); ++l) result.gradient.push_back(shaped.parameters(l));
  return result;
}

}  // namespace netinfer::net
