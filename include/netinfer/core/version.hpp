#pragma once

namespace netinfer {
const char* version();       // the project version, e.g. "0.1.0"
const char* git_revision();  // `git describe --always --dirty` at build time
}  // namespace netinfer
