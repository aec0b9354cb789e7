#include "netinfer/spectral/transform.hpp"

#include "netinfer/core/error.hpp"

namespace netinfer::spectral {

Transform parse_transform(const std::string& name) {
  for (Transform t :
       {Transform::cm, Transform::abs, Transform::cm2, Transform::abs_cm3, Transform::cm4}) {
    if (transform_name(t) == name) return t;
  }
  NI_FAIL("--transform: unknown transform '", name, "' (choose cm, abs, cm^2, abs(cm^3) or cm^4)");
}

std::string transform_name(Transform t) {
  switch (t) {
    case Transform::cm:
      return "cm";
    case Transform::abs:
      return "abs";
    case Transform::cm2:
      return "cm^2";
    case Transform::abs_cm3:
      return "abs(cm^3)";
    case Transform::cm4:
      return "cm^4";
  }
  return "?";
}

}  // namespace netinfer::spectral
