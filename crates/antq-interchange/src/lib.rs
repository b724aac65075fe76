//! Spreadsheet interchange for antq: turns CSV and XLSX files into rows and rows back into
//! files.
//!
//! The crate knows nothing about databases or HTTP. A registry describes its file layout as
//! a slice of [`Column`]s; [`read`] maps an uploaded file onto those columns (matching
//! headers leniently, without regard to case or Vietnamese diacritics) and returns
//! [`RawRow`]s for the caller to validate, while [`write`] and [`template`] produce files
//! for export and for users to fill in.
//!
//! All user-facing messages are in Vietnamese.

mod columns;
mod error;
mod format;
pub mod media;
pub mod official;
mod pivot;
mod read;
mod row;
mod write;

pub use columns::Column;
pub use error::ReadError;
pub use format::Format;
pub use pivot::pivot_xlsx;
pub use read::read;
pub use row::{RawRow, RowError};
pub use write::{template, write, write_headed};
