// darekit multi-buffer hashing: SHA-256, SHA-512 and SHA3-512 in SIMD lanes
// (scalar, AVX2, AVX-512 kernels; runtime dispatch; DAREKIT_FORCE_KERNEL).
#pragma once
#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"
#include "darekit/hash/dispatch.hpp"
#include "darekit/hash/hash_many.hpp"
