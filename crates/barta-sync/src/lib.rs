//! barta-sync (being built).
