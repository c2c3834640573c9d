//! chipwatch-core: Chipwatch's domain, storage and use cases, with no UI.
//! The desktop shell and the CLI are thin front doors onto these functions.

pub mod assessments;
pub mod backups;
pub mod bindings;
pub mod chips;
pub mod citation_kinds;
pub mod citations;
pub mod compare;
pub mod country;
pub mod damage_check;
pub mod dataset;
pub mod date;
pub mod disk;
pub mod error;
pub mod events;
pub mod files;
pub mod firm_refs;
pub mod firms;
mod id_bits;
pub mod import;
pub mod links;
pub mod lock;
pub mod markdown;
pub mod mentions;
pub mod metrics;
pub mod model;
pub mod notes;
pub mod open;
pub mod paths;
pub mod profile;
pub mod readers;
pub mod recent;
pub mod records;
pub mod relations;
pub mod replica;
pub mod restore;
mod rows_inserter;
pub mod sample;
pub mod schema;
pub mod search;
pub mod session;
pub mod source_reading;
pub mod sources;
pub mod sources_bulk;
pub mod store;
pub mod strategies;
#[cfg(test)]
mod test_support;
pub mod text;
pub mod timeline;
pub mod trash;
pub mod validate;
pub mod vocabulary;
pub mod workspace;

pub use error::{AppError, Error, ErrorKind, Result};
pub use store::Store;
