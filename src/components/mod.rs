mod announce;
mod details;
mod entry;
mod focus;
mod header;
mod result;
mod scanner;
mod timeline;
mod verdict;

pub use announce::{announcer, use_note};
use details::tech_details;
pub use entry::Entry;
pub use focus::focus_heading_if_lost;
pub use header::Header;
pub use result::{CheckView, ElsewhereView, InvalidView};
pub use scanner::Scanner;
