// Generator networks of the reconstruction workflow (001 §2.1.1, §4.2-4.3):
// binary adjacency matrices M with M(i, j) = 1 for an edge j -> i ("weights in
// row i are the inputs of neuron i", 001 §1.4.1).
//
// A generator is named by a spec "family[:key=value]...":
//   chain3                 edges 0->1, 0->2, 1->2 (Fig. 2.1 / 4.3)
//   inverted3              every edge of chain3 reversed (Fig. 4.7)
//   cyclic3                0->1->2->0 (Fig. 4.8)
//   er:n=N:p=P             directed Erdos-Renyi: each ordered pair i != j an edge with prob. P
//   dag:n=N:p=P            random DAG: a random order, each forward pair an edge with prob. P
//   smallworld:n=N:k=K:beta=B
//                          directed Watts-Strogatz: i -> i+1..i+K (mod N), each edge's
//                          target rewired with prob. B (local structure)
//   file:path=F[:dataset=D] a text 0/1 matrix (one row per line) or an HDF5 file
//                          (dataset D, default /adjacency)
// Every family takes count=C (default 1): C generators from the same spec.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace netinfer::reconstruct {

using Adjacency = Eigen::MatrixXi;  // n x n, entries 0/1, (i, j) = edge j -> i

struct Generator {
  std::string spec;  // the spec it came from
  Adjacency adjacency;
};

// All generators of the specs in order, spec by spec and copy by copy; the
// random families draw generator g from Stream(seed, purpose_id("generator"), g).
// All networks together hold at most max_entries adjacency entries (the
// default, 20,000^2, is 1.6 GB: one largest network).
std::vector<Generator> make_generators(const std::vector<std::string>& specs, std::uint64_t seed,
                                       std::uint64_t max_entries = 400000000);

// The three 3-neuron networks of the thesis: "chain3", "inverted3", "cyclic3".
Adjacency three_neuron_network(const std::string& name);

// Reads a 0/1 adjacency matrix from a text file or an HDF5 dataset.
Adjacency read_adjacency(const std::string& path, const std::string& dataset = "/adjacency");

}  // namespace netinfer::reconstruct
