// darekit Merkle trees (RFC 9162): tree hash, inclusion/consistency proofs, incremental
// frontier, chunked file tree, C2SP signed notes, checkpoints and proof files.
#pragma once
#include "darekit/merkle/checkpoint.hpp"
#include "darekit/merkle/file_tree.hpp"
#include "darekit/merkle/frontier.hpp"
#include "darekit/merkle/note.hpp"
#include "darekit/merkle/proof.hpp"
#include "darekit/merkle/tree.hpp"
#include "darekit/merkle/tree_hash.hpp"
