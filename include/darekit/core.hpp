// darekit core: errors, bytes, secrets, CPU features.
#pragma once
#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/core/ct.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"
