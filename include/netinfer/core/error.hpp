// The one error mechanism of netinfer: throw netinfer::Error where a failure is
// detected; main() turns it into one line on stderr (printed once, however many
// ranks found it) and a non-zero exit of every rank, so bad input never hangs.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace netinfer {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

namespace detail {
[[noreturn]] void throw_error(const std::string& message, const char* file, int line);

template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

}  // namespace netinfer

// NI_FAIL("file ", path, ": bad magic") throws netinfer::Error with the
// message; the source location is appended for developers.
#define NI_FAIL(...) \
  ::netinfer::detail::throw_error(::netinfer::detail::concat(__VA_ARGS__), __FILE__, __LINE__)
// NI_REQUIRE(cond, message parts...) throws when cond is false.
#define NI_REQUIRE(cond, ...)          \
  do {                                 \
    if (!(cond)) NI_FAIL(__VA_ARGS__); \
  } while (0)
