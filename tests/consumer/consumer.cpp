// A program outside darekit that uses it through the umbrella header.
#include <cstdio>

#include <darekit/darekit.hpp>

int main() {
  namespace dk = darekit;
  const auto d = dk::hash<dk::sha512>(dk::as_bytes("abc"));
  const std::string h = dk::hex::encode(d);
  std::printf("darekit %s: sha512(abc) = %s\n", std::string(dk::version_string()).c_str(), h.c_str());
  return h.rfind("ddaf35a193617aba", 0) == 0 ? 0 : 1;
}
