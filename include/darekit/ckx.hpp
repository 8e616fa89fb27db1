// darekit ckx: the Controller-IKE key schedule (draft-carrel-ipsecme-controller-ike-01).
#pragma once
#include "darekit/ckx/types.hpp"
#include "darekit/ckx/prf.hpp"
#include "darekit/ckx/x25519.hpp"
#include "darekit/ckx/schedule.hpp"
#include "darekit/ckx/dim.hpp"
#include "darekit/ckx/dim_json.hpp"
#include "darekit/ckx/derive.hpp"
#include "darekit/ckx/session.hpp"
#include "darekit/ckx/batch.hpp"
