// darekit: the umbrella header. Include this, or only the module headers you use.
#pragma once
#include "darekit/version.hpp"
#include "darekit/core.hpp"
#include "darekit/codec.hpp"
#include "darekit/crypto.hpp"
#include "darekit/hash.hpp"
#include "darekit/merkle.hpp"
#include "darekit/udf.hpp"
#include "darekit/ckx.hpp"
#include "darekit/dare.hpp"
