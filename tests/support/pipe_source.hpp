// SPDX-License-Identifier: PostgreSQL
// A byte_source that behaves like a pipe: its size is unknown, so the reader
// cannot compare a claimed length with the bytes left. Test-only code.
#pragma once

#include "pgarc/io.hpp"

#include <span>
#include <string>

namespace pgarc::test {

class pipe_source final : public byte_source {
public:
  explicit pipe_source(std::span<const std::byte> data) : m_bytes(data, "pipe") {}
  std::size_t read_some(std::span<std::byte> buffer) override { return m_bytes.read_some(buffer); }
  const std::string& name() const noexcept override { return m_bytes.name(); }

private:
  memory_source m_bytes;
};

} // namespace pgarc::test
