//! The authenticity verdict.
