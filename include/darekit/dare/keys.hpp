// DARE key material: the public-key type and the key-file readers are udf's
// (udf/key_file.hpp, the one reader every command uses); these declarations keep the
// dare:: spellings that the envelope code and existing users know.
#pragma once
#include "darekit/udf/key_file.hpp"

namespace darekit::dare {

using udf::parse_private_key;
using udf::parse_public_key;
using udf::private_key_from_json;
using udf::public_key;
using udf::public_key_from_json;
using udf::public_key_size;
using udf::public_of;
using udf::unsupported_curve;
#if DAREKIT_POSIX_IO
using udf::load_private_key;
using udf::load_public_key;
#endif

namespace detail {
using udf::detail::curve_of;
using udf::detail::key_fields;
using udf::detail::key_fields_of;
}  // namespace detail

}  // namespace darekit::dare
