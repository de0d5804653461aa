// Compiles the WebAssembly text sources into dist/ (placeholder until the gallery's scanner lands).
