// Job-file checks (see include/netinfer/cli/job_file.hpp). Boost's INI parser
// reads the values; this file only decides which entries are valid, with the
// line numbers the parser does not keep.
#include "netinfer/cli/job_file.hpp"
#include "netinfer/core/text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"

namespace netinfer::cli {

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest(const std::string& word, const std::set<std::string>& names) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& n : names) {
    const std::size_t d = edit_distance(word, n);
    if (d < best_distance) best = n, best_distance = d;
  }
  return best;
}

// The options each command takes, by command name.
std::map<std::string, std::set<std::string>> options_by_command() {
  std::map<std::string, std::set<std::string>> keys;
  for (const auto& c : commands()) {
    po::options_description o;
    c.add_options(o);
    for (const auto& d : o.options()) keys[c.name].insert(d->long_name());
  }
  return keys;
}

}  // namespace

void check_job_file(const std::string& path, const std::string& text) {
  const auto keys = options_by_command();
  std::set<std::string> sections, any_command;
  for (const auto& [name, names] : keys) {
    sections.insert(name);
    any_command.insert(names.begin(), names.end());
  }
  std::istringstream in(text);
  std::string line, section;
  for (int number = 1; std::getline(in, line); ++number) {
    // The syntax of boost::program_options::parse_config_file: '#' starts a
    // comment anywhere, "[name]" opens a section, "a.b = v" is key b of [a].
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    if (line.front() == '[' && line.back() == ']') {
      section = trim(line.substr(1, line.size() - 2));
      NI_REQUIRE(keys.count(section), where, "unknown section [", section,
                 "]: sections are command names (closest: [", closest(section, sections), "])");
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;  // the parser itself refuses it
    std::string owner = section, key = trim(line.substr(0, equals));
    if (owner.empty() && key.find('.') != std::string::npos) {
      owner = key.substr(0, key.find('.'));
      key = key.substr(key.find('.') + 1);
      NI_REQUIRE(keys.count(owner), where, "unknown key '", owner, ".", key, "': '", owner,
                 "' is not a command (closest: ", closest(owner, sections), ")");
    }
    if (owner.empty()) {
      NI_REQUIRE(any_command.count(key), where, "unknown key '", key,
                 "': no command takes it (closest: ", closest(key, any_command), ")");
    } else {
      const auto& valid = keys.at(owner);
      NI_REQUIRE(valid.count(key), where, "unknown key '", key, "' in [", owner, "]: netinfer ",
                 owner, " takes no such option (closest: ", closest(key, valid), ")");
    }
  }
}

}  // namespace netinfer::cli
