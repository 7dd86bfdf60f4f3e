// SPDX-License-Identifier: PostgreSQL
// Moves the extensions of a pg_dump custom-format archive from public to
// heroku_ext through the installed library:
//   c++ -std=c++20 retarget.cpp $(pkg-config --cflags --libs pgarc) -o retarget
//   ./retarget backup.dump fixed.dump
#include <pgarc/catalog.hpp>
#include <pgarc/errors.hpp>
#include <pgarc/io.hpp>
#include <pgarc/retarget.hpp>

#include <iostream>

int main(int argc, char* argv[]) {
  if (argc != 3) {
    std::cerr << "usage: retarget INPUT OUTPUT\n";
    return 2;
  }
  try {
    const auto in = pgarc::file_source::open(argv[1]);
    const auto out = pgarc::file_sink::create(argv[2]); // renamed into place on success
    pgarc::retarget_options options;                    // public -> heroku_ext
    options.catalogs = {&pgarc::builtin_extension_catalog()};
    const pgarc::retarget_report report = pgarc::retarget_archive(*in, *out, options);
    std::cout << "moved " << report.moved_extensions.size() << " extensions, rewrote "
              << report.changes.size() << " entries\n";
    return 0;
  } catch (const pgarc::error& problem) {
    std::cerr << "retarget: " << problem.what() << "\n";
    return 1;
  }
}
