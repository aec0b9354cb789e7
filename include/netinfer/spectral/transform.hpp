// The element-wise transforms of the response correlation matrix compared in
// Table 2 of the localisation paper (seeds/000): the signed matrix cm, its
// absolute value (the paper's choice and our default), cm^2, |cm^3| and cm^4.
#pragma once

#include <cmath>
#include <string>

namespace netinfer::spectral {

enum class Transform { cm, abs, cm2, abs_cm3, cm4 };

// Names as on the command line: "cm", "abs", "cm^2", "abs(cm^3)", "cm^4".
Transform parse_transform(const std::string& name);
std::string transform_name(Transform t);

template <typename T>
T apply(Transform t, T c) {
  switch (t) {
    case Transform::cm:
      return c;
    case Transform::abs:
      return std::abs(c);
    case Transform::cm2:
      return c * c;
    case Transform::abs_cm3:
      return std::abs(c * c * c);
    case Transform::cm4:
      return (c * c) * (c * c);
  }
  return c;
}

}  // namespace netinfer::spectral
