// darekit codecs: hex, Base32 (UDF), Base64/Base64url, JSON (value model, writer,
// simdjson reader), JSON-B/JSON-C.
#pragma once
#include "darekit/codec/base32.hpp"
#include "darekit/codec/base64.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/codec/json.hpp"
#include "darekit/codec/json_simd.hpp"
#include "darekit/codec/jsonb.hpp"
#include "darekit/codec/utf8.hpp"
