// darekit core: errors, bytes, secrets, CPU features, the I/O vocabulary and POSIX files.
#pragma once
#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/core/ct.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/file.hpp"
#include "darekit/core/io.hpp"
#include "darekit/core/secure.hpp"
