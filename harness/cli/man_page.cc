// harness(1), written from the command table (cli/command_help.h) at build time and installed
// with the tool.

#include <sstream>

#include "harness/cli/command_help.h"
#include "harness/runner/build_info.h"

namespace harness::cli {
namespace {

// Text as roff reads it: a backslash is an escape, '-' a hyphen rather than a minus sign, and a
// line starting with '.' or '\'' a request.
std::string Roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

// The synopsis as one line, for roff to fill to the reader's terminal.
std::string SynopsisLine(const CommandHelp& command) {
  std::string line;
  bool in_indent = false;
  for (char c : Synopsis(command)) {
    if (c == '\n') {
      in_indent = true;
      line += ' ';
    } else if (!(in_indent && c == ' ')) {
      in_indent = false;
      line += c;
    }
  }
  return Roff(line);
}

}  // namespace

std::string ManPage() {
  std::ostringstream out;
  out << ".TH HARNESS 1 \"\" \"harness " << runner::GetBuildInfo().version
      << "\" \"User Commands\"\n"
         // No hyphenation, ragged right: option names must stay whole and copyable.
         ".nh\n.ad l\n"
         ".SH NAME\n"
         "harness \\- benchmark and regression harness for quantized edge ML models\n"
         ".SH SYNOPSIS\n";
  for (const CommandHelp& command : Commands()) {
    out << ".PP\n" << SynopsisLine(command) << "\n";
  }
  out << ".PP\nharness \\-\\-version\n.PP\nharness COMMAND \\-\\-help\n"
         ".SH DESCRIPTION\n"
         "A YAML suite pairs float models (.tflite or .onnx) with calibration and validation sets "
         "(HDF5).\n"
         ".B harness run\n"
         "quantizes every model under every method and calibrator, runs each result with the "
         "project's own kernels (integer results bit-exact with TFLite-Micro's reference "
         "kernels), measures task metrics and fidelity against the float model, estimates flash, "
         "tensor arena and latency, and writes JSON, Markdown, HTML and JUnit reports compared "
         "with a stored baseline.\n"
         ".SH COMMANDS\n";
  for (const CommandHelp& command : Commands()) {
    out << ".SS " << Roff(command.name) << "\n" << SynopsisLine(command) << "\n.PP\n";
    std::istringstream paragraphs(command.description);
    for (std::string line; std::getline(paragraphs, line);) {
      out << (line.empty() ? ".PP" : Roff(line)) << "\n";
    }
    for (const OptionHelp& option : command.options) {
      out << ".TP\n";
      if (option.value.empty()) {
        out << ".B " << Roff(option.name) << "\n";
      } else {
        out << ".BI \"" << Roff(option.name) << " \" \"" << Roff(option.value) << "\"\n";
      }
      out << Roff(option.help) << "\n";
    }
  }
  out << ".SH EXIT STATUS\n"
         ".TP\n0\nsuccess, no regression\n"
         ".TP\n1\na regression against the baseline (lint: lint errors; bench: a slowdown)\n"
         ".TP\n2\nbad usage, configuration or input; the message names the file and the place\n"
         ".TP\n130\ninterrupted; no report or baseline is written\n";
  return out.str();
}

}  // namespace harness::cli
