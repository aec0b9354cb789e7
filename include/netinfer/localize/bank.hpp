// The bank of classifiers of 000 §5.1: layer; family given each conv/pool
// layer; x and y given each spatial layer (INPUT, conv, pool; families pooled).
// For LeNet that is 1 + 4 + 5 + 5 = 15 classifiers. The trainings are fanned
// out over MPI ranks (largest first, each to the least-loaded rank) and their
// outputs broadcast, so every rank ends with the whole BankOutput. Classifier
// t is seeded from (seed, t): results do not depend on the rank count.
#pragma once

#include <mpi.h>
#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/localize/classifier.hpp"
#include "netinfer/localize/confidence.hpp"
#include "netinfer/net/recording.hpp"

namespace netinfer::localize {

struct BankOptions {
  ClassifierOptions classifier;
  bool balance_layers = true;  // oversample layers for the layer classifier
  std::uint64_t seed = 1;
};

// One classifier of the bank.
struct BankTask {
  enum class Kind { Layer, Family, X, Y } kind;
  int layer = -1;  // the conditioning layer (not used by Kind::Layer)
  std::string name() const;
};
std::vector<BankTask> bank_tasks(const net::Architecture& arch);

// features: every recorded neuron's feature vector (one row per recorded
// neuron, recording.size() x F). train: training neurons; tests: the test
// neurons in the order the rows of the output should have (already shuffled by
// the caller); all recorded, as global indices. Collective.
BankOutput run_bank(const net::Architecture& arch, const net::Recording& recording,
                    const RowMatrix& features, const std::vector<std::int64_t>& train,
                    const std::vector<std::int64_t>& tests, const BankOptions& options,
                    MPI_Comm comm);

}  // namespace netinfer::localize
