#include "netinfer/search/candidate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "netinfer/core/error.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::search {

namespace {

std::int64_t patch_images(const std::string& spec) {
  stimuli::ImageSetOptions io;
  io.shape = {1, 28, 28};
  return stimuli::make_image_set(spec, io)->size();
}

}  // namespace

TEST(SearchCandidate, SpecWritesWidthRunsThatThePatchSetReads) {
  const PatchSet p{{1, 2, 3, 7, 14, 15, 28}, {-1, 0}};
  EXPECT_EQ(p.spec(), "PATCH(w=1-3:7:14-15:28,f=-1,b=0)");
  // (27 + w)^2 images per width: 784 + 841 + 900 + 1156 + 1681 + 1764 + 3025.
  EXPECT_EQ(patch_images(p.spec()), 10151);
  // The paper's receptive-field widths give its 9,367 images (000 §6.4).
  EXPECT_EQ(patch_images(PatchSet{{1, 5, 6, 14, 15, 28}, {0, 1}}.spec()), 9367);
  Candidate c;
  c.sets = {PatchSet{{4}, {1, 0}}, PatchSet{{2, 3}, {0, -1}}};
  c.moments = 3;
  c.eigenvectors = 19;
  EXPECT_EQ(c.key(), "PATCH(w=4,f=1,b=0)+PATCH(w=2-3,f=0,b=-1); moments=3; eigenvectors=19");
  EXPECT_EQ(c.features(), 44);
}

TEST(SearchCandidate, DrawIsAFunctionOfSeedAndIndex) {
  const Space space;
  for (std::int64_t i : {0, 1, 17, 1000}) {
    EXPECT_EQ(draw(5, i, space).key(), draw(5, i, space).key());
    EXPECT_EQ(draw(5, i, space).index, i);
  }
  int differ = 0;
  for (std::int64_t i = 0; i < 50; ++i)
    differ += draw(5, i, space).key() != draw(6, i, space).key();
  EXPECT_GE(differ, 48);
}

TEST(SearchCandidate, FreshDrawsStayInRangeWithTheDocumentedLaws) {
  Space space;
  space.pool = 0;
  const int n = 4000;
  std::map<std::size_t, int> set_counts;
  std::set<int> moments, eigenvectors;
  double widths = 0, sets = 0;
  for (int i = 0; i < n; ++i) {
    const Candidate c = draw(11, i, space);
    ASSERT_GE(c.sets.size(), 1u);
    ASSERT_LE(c.sets.size(), 4u);
    ++set_counts[c.sets.size()];
    for (std::size_t s = 0; s < c.sets.size(); ++s) {
      const auto& w = c.sets[s].widths;
      ASSERT_FALSE(w.empty());
      ASSERT_TRUE(std::is_sorted(w.begin(), w.end()));
      ASSERT_EQ(std::adjacent_find(w.begin(), w.end()), w.end());
      ASSERT_GE(w.front(), 1);
      ASSERT_LE(w.back(), 28);
      widths += static_cast<double>(w.size());
      sets += 1;
      // Contrasts are distinct, in the order of kContrasts.
      if (s > 0) {
        const auto rank = [](Contrast x) {
          for (int k = 0; k < 4; ++k)
            if (kContrasts[k].f == x.f && kContrasts[k].b == x.b) return k;
          return -1;
        };
        ASSERT_LT(rank(c.sets[s - 1].contrast), rank(c.sets[s].contrast));
      }
    }
    ASSERT_GE(c.moments, 1);
    ASSERT_LE(c.moments, 4);
    ASSERT_GE(c.eigenvectors, 1);
    ASSERT_LE(c.eigenvectors, 40);
    moments.insert(c.moments);
    eigenvectors.insert(c.eigenvectors);
  }
  EXPECT_EQ(moments.size(), 4u);
  EXPECT_EQ(eigenvectors.size(), 40u);
  // A uniform non-empty subset of 4 contrasts: 4, 6, 4, 1 of 15 subsets.
  EXPECT_NEAR(set_counts[1] / double(n), 4 / 15.0, 0.03);
  EXPECT_NEAR(set_counts[2] / double(n), 6 / 15.0, 0.03);
  EXPECT_NEAR(set_counts[3] / double(n), 4 / 15.0, 0.03);
  EXPECT_NEAR(set_counts[4] / double(n), 1 / 15.0, 0.02);
  // Binomial(28, 0.2) conditioned on > 0: mean 5.6 / (1 - 0.8^28) = 5.611.
  EXPECT_NEAR(widths / sets, 5.611, 0.1);
}

TEST(SearchCandidate, PoolSubsetsAreSharedByAllCandidates) {
  Space space;
  space.pool = 3;
  std::map<std::vector<int>, int> used;
  for (int slot = 0; slot < 3; ++slot) used[pool_widths(9, slot, space)] = 0;
  ASSERT_EQ(used.size(), 3u);  // three different subsets
  for (int i = 0; i < 300; ++i) {
    for (const auto& s : draw(9, i, space).sets) {
      ASSERT_TRUE(used.count(s.widths)) << "widths not from the pool";
      ++used[s.widths];
    }
  }
  for (const auto& [widths, uses] : used) EXPECT_GT(uses, 100);
}

TEST(SearchCandidate, StreamsSplitOneSequenceIntoDisjointParts) {
  const Space space;
  Sequence whole(3, space, 0, 1);
  std::vector<std::string> all;
  for (int i = 0; i < 30; ++i) all.push_back(whole.next()->key());
  std::set<std::string> seen;
  for (int k = 0; k < 3; ++k) {
    Sequence part(3, space, k, 3);
    for (int j = 0; j < 10; ++j) {
      const std::string key = part.next()->key();
      EXPECT_EQ(key, all[3 * j + k]);  // stream k takes every third candidate from k
      EXPECT_TRUE(seen.insert(key).second) << "two streams drew " << key;
    }
  }
  EXPECT_EQ(seen.size(), 30u);
}

TEST(SearchCandidate, RepeatsAreSkippedUntilTheSpaceIsExhausted) {
  Space space;
  space.pool = 1;  // one width subset, so a candidate is its contrasts and moments
  space.max_eigenvectors = 1;
  Sequence sequence(2, space, 0, 1);
  std::set<std::string> keys;
  std::int64_t last = -1;
  while (auto c = sequence.next()) {
    EXPECT_TRUE(keys.insert(c->key()).second);
    EXPECT_GT(c->index, last);
    last = c->index;
  }
  EXPECT_EQ(keys.size(), 15u * 4u);  // 15 contrast subsets x 4 moment counts
}

TEST(SearchCandidate, BadSpacesAndStreamsAreRefused) {
  Space space;
  space.width_probability = 0;
  EXPECT_THROW(space.validate(), Error);
  space = Space{};
  space.max_eigenvectors = 0;
  EXPECT_THROW(space.validate(), Error);
  space = Space{};
  space.pool = -1;
  EXPECT_THROW(space.validate(), Error);
  EXPECT_THROW(Sequence(1, Space{}, 2, 2), Error);
  EXPECT_THROW(Sequence(1, Space{}, -1, 2), Error);
  EXPECT_THROW(Sequence(1, Space{}, 0, 0), Error);
}

}  // namespace netinfer::search
