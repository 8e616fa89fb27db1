// darekit UDF: Uniform Data Fingerprints (draft-hallambaker-mesh-udf-18).
#pragma once
#include "darekit/udf/value.hpp"
#include "darekit/udf/presentation.hpp"
#include "darekit/udf/content_digest.hpp"
#include "darekit/udf/authenticator.hpp"
#include "darekit/udf/fixed.hpp"
#include "darekit/udf/key_seed.hpp"
#include "darekit/udf/key_id.hpp"
#include "darekit/udf/key_file.hpp"
#include "darekit/udf/shamir.hpp"
#include "darekit/udf/uri.hpp"
