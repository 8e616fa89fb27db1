// darekit Merkle trees (RFC 9162): tree hash, inclusion/consistency proofs, incremental
// frontier, chunked file tree.
#pragma once
#include "darekit/merkle/file_tree.hpp"
#include "darekit/merkle/frontier.hpp"
#include "darekit/merkle/proof.hpp"
#include "darekit/merkle/tree.hpp"
#include "darekit/merkle/tree_hash.hpp"
