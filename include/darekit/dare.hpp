// darekit DARE: envelopes (header/trailer model, JSON / JSON-B / mixed encodings,
// XC20P / A256GCM / A256CBC payload protection, recipients, signatures, EDS).
#pragma once
#include "darekit/dare/algorithms.hpp"
#include "darekit/dare/eds.hpp"
#include "darekit/dare/envelope.hpp"
#include "darekit/dare/header.hpp"
#include "darekit/dare/keys.hpp"
#include "darekit/dare/payload.hpp"
#include "darekit/dare/recipient.hpp"
#include "darekit/dare/signature.hpp"
