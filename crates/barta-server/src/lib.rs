//! barta-server (being built).
