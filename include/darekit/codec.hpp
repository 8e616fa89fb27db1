// darekit codecs: hex, Base32 (UDF), Base64/Base64url.
#pragma once
#include "darekit/codec/base32.hpp"
#include "darekit/codec/base64.hpp"
#include "darekit/codec/hex.hpp"
