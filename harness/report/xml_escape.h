#pragma once
// Escaping text for XML and HTML (junit.xml, report.html): the five markup characters, and
// control characters that XML 1.0 forbids replaced by '?', so a result id or an error message
// can never break the document.

#include <string>
#include <string_view>

namespace harness::report {

std::string XmlEscape(std::string_view text);

}  // namespace harness::report
