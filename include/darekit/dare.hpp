// darekit DARE: envelopes (header/trailer model, envelope writer and reader in JSON-B /
// JSON / mixed encodings, item crypto: XC20P / A256GCM / A256CBC payload protection,
// recipients, signatures, EDS) and sequences (JBCD frames, Merkle-proven, incrementally
// encrypted, crash-safe, erasable).
#pragma once
#include "darekit/dare/algorithms.hpp"
#include "darekit/dare/eds.hpp"
#include "darekit/dare/envelope_reader.hpp"
#include "darekit/dare/envelope_writer.hpp"
#include "darekit/dare/frame.hpp"
#include "darekit/dare/header.hpp"
#include "darekit/dare/item_crypto.hpp"
#include "darekit/dare/keys.hpp"
#include "darekit/dare/payload.hpp"
#include "darekit/dare/recipient.hpp"
#include "darekit/dare/sequence.hpp"
#include "darekit/dare/sequence_index.hpp"
#include "darekit/dare/sequence_info.hpp"
#include "darekit/dare/sequence_proof.hpp"
#include "darekit/dare/sequence_verify.hpp"
#include "darekit/dare/signature.hpp"
