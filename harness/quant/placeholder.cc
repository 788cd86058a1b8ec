// Placeholder so the layer builds before its first source lands.
namespace harness::quant {}
