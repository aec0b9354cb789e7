#include "netinfer/reconstruct/inference.hpp"

#include <cmath>
#include <cstdint>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/reconstruct/metrics.hpp"

namespace netinfer::reconstruct {

namespace {
// Fixed-point fraction bits of the summed outputs: a quantum of 2^-40 (about
// 1e-12) and room for 2^23 samples of |o| <= 1 in an int64.
constexpr int kFraction = 40;

std::string leaf(const std::string& group) {
  return group.substr(group.find_last_of('/') + 1);
}
}  // namespace

std::vector<Prediction> infer(const Model& model, const std::vector<GeneratorData>& data,
                              int windows, const std::string& data_path, MPI_Comm comm) {
  const int b = model.input_steps();
  const auto samples = enumerate_samples(data, b, windows, data_path);
  std::vector<Prediction> out;
  std::size_t first = 0;  // the generator's first sample in `samples`
  std::int64_t done = 0;  // samples this rank has evaluated
  Progress progress("infer", samples.size(), "samples");
  for (std::size_t g = 0; g < data.size(); ++g) {
    const int n = data[g].n;
    const std::int64_t count = data[g].simulations * windows;
    Prediction p{Eigen::MatrixXd::Zero(n, n), std::vector<double>(count, 0.0),
                 std::vector<double>(count, 0.0)};
    // The mean output is summed exactly, in fixed point (outputs are tanh
    // values, |o| <= 1, rounded to multiples of 2^-kFraction), so it is the
    // same at any rank count; samples' own losses come from one rank each.
    NI_REQUIRE(count < (std::int64_t{1} << 23), "infer: ", count,
               " samples of one network; at most 2^23 are averaged exactly");
    std::vector<std::int64_t> sum(static_cast<std::size_t>(n) * n, 0);
    const Range mine = block_range(count, mpi_size(comm), mpi_rank(comm));
    for (std::int64_t a = mine.begin, next = a; a < mine.end; a = next) {
      next = std::min(mine.end, a + examples_per_call(n));
      std::vector<Example> chunk;
      for (std::int64_t k = a; k < next; ++k)
        chunk.push_back(make_example(data, samples[first + k], b));
      const auto outputs = model.predict(chunk);
      for (std::int64_t k = a; k < next; ++k) {
        const Eigen::MatrixXd& o = outputs[k - a];
        for (Eigen::Index i = 0; i < o.size(); ++i) {
          NI_REQUIRE(std::abs(o(i)) <= 1.0, "infer: the model's output ", o(i),
                     " is not in [-1, 1] (are its parameters finite?)");
          sum[i] += std::llround(std::ldexp(o(i), kFraction));
        }
        p.sample_loss[k] = reconstruction_loss(o, data[g].target);
        p.sample_correct[k] = static_cast<double>(correct_pairs(o, data[g].target));
      }
      done += next - a;
      progress.update(done * mpi_size(comm));  // rank 0's share, scaled to the total
    }
    NI_MPI(MPI_Allreduce(MPI_IN_PLACE, sum.data(), n * n, MPI_INT64_T, MPI_SUM, comm));
    for (Eigen::Index i = 0; i < p.mean_output.size(); ++i)
      p.mean_output(i) = std::ldexp(static_cast<double>(sum[i]), -kFraction);
    NI_MPI(MPI_Allreduce(MPI_IN_PLACE, p.sample_loss.data(), count, MPI_DOUBLE, MPI_SUM, comm));
    NI_MPI(MPI_Allreduce(MPI_IN_PLACE, p.sample_correct.data(), count, MPI_DOUBLE, MPI_SUM, comm));
    p.mean_output /= static_cast<double>(count);
    out.push_back(std::move(p));
    first += count;
  }
  progress.finish();
  return out;
}

void write_predictions(h5::File& file, const Model& model, const std::vector<GeneratorData>& data,
                       const std::vector<Prediction>& predictions, int windows) {
  const std::string top = "/reconstruct/predictions";
  file.make_groups(top);
  file.set_attr(top, "model_kind", model.kind());
  file.set_attr(top, "b", model.input_steps());
  file.set_attr(top, "windows", windows);
  for (std::size_t g = 0; g < data.size(); ++g) {
    const std::string group = top + "/" + leaf(data[g].group);
    const auto& p = predictions[g];
    const auto n = static_cast<std::uint64_t>(data[g].n);
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> mean =
        p.mean_output;
    file.write(group + "/mean_output", mean.data(), {n, n});
    file.set_attr(group + "/mean_output", "axes", std::string("target,source"));
    file.write(group + "/sample_loss", p.sample_loss);
    file.write(group + "/sample_correct", p.sample_correct);
    file.set_attr(group, "spec", data[g].spec);
    file.set_attr(group, "n", data[g].n);
    file.set_attr(group, "simulations", data[g].simulations);
  }
}

}  // namespace netinfer::reconstruct
