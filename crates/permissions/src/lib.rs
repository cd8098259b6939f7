//! Every access decision as a pure function of (actor, target).
