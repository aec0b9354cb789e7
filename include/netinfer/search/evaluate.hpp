// One candidate of the search on one network: the spectra of its PATCH sets
// (from the network's cache, computed with every rank when missing), its
// features (moments and the leading eigenvectors of every set, concatenated),
// and Algorithm 1 on the perfect split with random forests.
//
// Cache: per network a directory <scratch>/net-<stem of its content hash>
// holds one set file per image set (pipeline/set_data.hpp), keyed by the set's
// full spec and always computed with max_eigenvectors vectors, so a set serves
// every candidate whatever its number of eigenvectors: the first k of the top
// max_eigenvectors are the top k. Without the cache (cache = false) a
// candidate's sets are computed in memory and nothing is written.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>

#include "netinfer/localize/score.hpp"
#include "netinfer/localize/split.hpp"
#include "netinfer/net/graph.hpp"
#include "netinfer/net/network.hpp"
#include "netinfer/search/candidate.hpp"

namespace netinfer::search {

// A network under search.
struct Subject {
  std::string path;     // its weights file
  std::string content;  // pipeline::weights_digest of the file
  net::Network network;
  net::Graph graph;
  net::Recording recording;  // every neuron
  localize::Split split;     // perfect
  std::string scratch;       // its cache directory
};

// Loads a network (every rank) and places its cache under scratch_root.
Subject load_subject(const std::string& path, const std::string& scratch_root);

struct EvaluateOptions {
  std::uint64_t seed = 1;  // spectra; the classifiers' seed is a hash of it and the candidate
  int trees = 100, threads = 1, max_eigenvectors = 40;
  double prior_weight = 1e-3;
  std::string solver = "lanczos", precision = "double";
  bool cache = true;
};

struct Evaluation {
  localize::Score score;
  int sets_computed = 0, sets_cached = 0;
  double inputs_seconds = 0, localize_seconds = 0;
};

// Collective over comm; every rank returns the same evaluation.
Evaluation evaluate(const Candidate& candidate, const Subject& subject,
                    const EvaluateOptions& options, MPI_Comm comm);

}  // namespace netinfer::search
