// How a LocalizeResult travels and is stored: one field list (for_each_field)
// drives the HDF5 layout of a result group, its MPI broadcast and its packing
// into a flat message, so a new field of the result or of its Score is one
// edit here. Layout of a result group <g> (localize's /localize/<split>/<set>,
// an experiment's /runs/<n>):
//   <g>/tests, assigned             int64 [tests] (neuron indices; assigned[i]
//                                   is the location given to tests[i])
//   <g>/silent                      uint8 [tests]
//   <g>/distance, distance_symmetric int32 [tests]
//   <g>/layer_error, layer_active, layer_silent, layer_symmetric  double [layers]
//   attributes of <g>: overall, active, silent, overall_symmetric and the
//   stage times bank/confidence/assignment/score _seconds
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/io/h5.hpp"
#include "netinfer/localize/localize.hpp"

namespace netinfer::localize {

// What a field is: per test neuron (large; optional when reading), per layer,
// or one number (an attribute).
enum class Field { per_test, per_layer, scalar };

// Calls visit(name, member, kind) for every field of r, in one fixed order.
// Result is LocalizeResult or const LocalizeResult.
template <class Result, class Visit>
void for_each_field(Result& r, Visit&& visit) {
  visit("tests", r.tests, Field::per_test);
  visit("assigned", r.assigned, Field::per_test);
  visit("silent", r.silent, Field::per_test);
  visit("distance", r.score.distance, Field::per_test);
  visit("distance_symmetric", r.score.distance_symmetric, Field::per_test);
  visit("layer_error", r.score.layer, Field::per_layer);
  visit("layer_active", r.score.layer_active, Field::per_layer);
  visit("layer_silent", r.score.layer_silent, Field::per_layer);
  visit("layer_symmetric", r.score.layer_symmetric, Field::per_layer);
  visit("overall", r.score.overall, Field::scalar);
  visit("active", r.score.active, Field::scalar);
  visit("silent", r.score.silent, Field::scalar);
  visit("overall_symmetric", r.score.overall_symmetric, Field::scalar);
  visit("bank_seconds", r.bank_seconds, Field::scalar);
  visit("confidence_seconds", r.confidence_seconds, Field::scalar);
  visit("assignment_seconds", r.assignment_seconds, Field::scalar);
  visit("score_seconds", r.score_seconds, Field::scalar);
}

// Writes every field into group g of `file` (collective on a parallel file).
void write_result(h5::File& file, const std::string& g, const LocalizeResult& r);
// Reads group g; without `per_test` the per-test arrays stay empty.
LocalizeResult read_result(const h5::File& file, const std::string& g, bool per_test);

// Appends r to a flat message of doubles (every integer involved is far below
// 2^53, so this is exact); unpack_result reads one back from position `at`.
void pack_result(const LocalizeResult& r, std::vector<double>& out);
LocalizeResult unpack_result(const std::vector<double>& in, std::size_t& at);

// Every rank of comm ends with rank 0's result.
void broadcast_result(LocalizeResult& r, MPI_Comm comm);

}  // namespace netinfer::localize
