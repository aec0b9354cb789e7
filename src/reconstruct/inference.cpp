#include "netinfer/reconstruct/inference.hpp"

#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/reconstruct/metrics.hpp"

namespace netinfer::reconstruct {

namespace {
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
    const Range mine = block_range(count, mpi_size(comm), mpi_rank(comm));
    for (std::int64_t a = mine.begin, next = a; a < mine.end; a = next) {
      next = std::min(mine.end, a + examples_per_call(n));
      std::vector<Example> chunk;
      for (std::int64_t k = a; k < next; ++k)
        chunk.push_back(make_example(data, samples[first + k], b));
      const auto outputs = model.predict(chunk);
      for (std::int64_t k = a; k < next; ++k) {
        const Eigen::MatrixXd& o = outputs[k - a];
        p.mean_output += o;
        p.sample_loss[k] = reconstruction_loss(o, data[g].target);
        p.sample_correct[k] = static_cast<double>(correct_pairs(o, data[g].target));
      }
      done += next - a;
      progress.update(done * mpi_size(comm));  // rank 0's share, scaled to the total
    }
    NI_MPI(MPI_Allreduce(MPI_IN_PLACE, p.mean_output.data(), n * n, MPI_DOUBLE, MPI_SUM, comm));
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
