// MIXED(A+B+...) (000 §5.3): the concatenation of the listed sets, each made
// with the same options; image i of a member is the same image as in the
// member alone.
#include <algorithm>

#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

class Mixed : public ImageSet {
 public:
  Mixed(const std::string& spec, const ImageSetOptions& o, std::vector<SetPtr> members)
      : ImageSet(spec, o.shape), members_(std::move(members)) {
    std::int64_t total = 0;
    for (const SetPtr& m : members_) ends_.push_back(total += m->size());
  }
  std::int64_t size() const override { return ends_.back(); }

 protected:
  void fill(std::int64_t i, double* out) const override {
    const std::size_t k = std::upper_bound(ends_.begin(), ends_.end(), i) - ends_.begin();
    members_[k]->image(i - (ends_[k] - members_[k]->size()), out);
  }

 private:
  std::vector<SetPtr> members_;
  std::vector<std::int64_t> ends_;  // one past the last image of each member
};

}  // namespace

SetPtr make_mixed(const std::string& spec, const ImageSetOptions& options,
                  const std::string& members) {
  std::vector<SetPtr> sets;
  for (const std::string& member : split_top_level(members, '+', "image set '" + spec + "'"))
    sets.push_back(make_image_set(member, options));
  return std::make_unique<Mixed>(spec, options, std::move(sets));
}

}  // namespace netinfer::stimuli::detail
