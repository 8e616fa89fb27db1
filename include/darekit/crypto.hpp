// darekit crypto primitives.
#pragma once
#include "darekit/crypto/aes.hpp"
#include "darekit/crypto/aes_gcm.hpp"
#include "darekit/crypto/aes_cbc.hpp"
#include "darekit/crypto/hasher.hpp"
#include "darekit/crypto/hkdf.hpp"
#include "darekit/crypto/hmac.hpp"
#include "darekit/crypto/keccak.hpp"
#include "darekit/crypto/key_wrap.hpp"
#include "darekit/crypto/random.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"
