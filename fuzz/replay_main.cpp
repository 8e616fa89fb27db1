// Replay driver for fuzz targets built without libFuzzer: runs every file given on the
// command line (folders are walked) through LLVMFuzzerTestOneInput. Exit 0 when all ran.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

static int run_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::vector<std::uint8_t> d((std::istreambuf_iterator<char>(f)), {});
  return LLVMFuzzerTestOneInput(d.data(), d.size());
}

int main(int argc, char** argv) {
  std::size_t n = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path p = argv[i];
    if (std::filesystem::is_directory(p)) {
      for (auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file()) { run_file(e.path()); ++n; }
    } else if (std::filesystem::exists(p)) {
      run_file(p); ++n;
    } else {
      std::fprintf(stderr, "replay: %s does not exist\n", argv[i]);
      return 2;
    }
  }
  // Also run the empty input, which every target must survive.
  LLVMFuzzerTestOneInput(nullptr, 0);
  std::printf("replayed %zu inputs\n", n + 1);
  return 0;
}
