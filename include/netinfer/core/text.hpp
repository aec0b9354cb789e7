// Small text helpers shared by the parsers of job files, job axes and image
// set names.
#pragma once

#include <string>

namespace netinfer {

// `text` without leading and trailing blanks (spaces, tabs, carriage returns
// of CRLF files, newlines).
inline std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace netinfer
