//! barta-store (being built).
