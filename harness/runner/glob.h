#pragma once
// Shell-style patterns for `harness run --only GLOB`: `*` matches any run of characters
// (including '/', so `kws*` selects every result of the model kws), `?` one character; a
// comma separates alternatives ("kws/*,vww/int8/*").

#include <string_view>

namespace harness::runner {

bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace harness::runner
