//! The text rule kinds that run in Rust, one module each (the Python kinds in cleaner/kinds/ read and
//! check a rule's parameters, and hand each document to these).

pub mod block;
pub mod caption;
pub mod duplicate;
pub mod heuristic;
pub mod line;
pub mod phrase;
pub mod protect;
pub mod tail;
