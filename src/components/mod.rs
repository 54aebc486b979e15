mod entry;
mod header;
mod result;
mod scanner;
mod timeline;
mod verdict;

pub use entry::Entry;
pub use header::Header;
pub use result::{CheckView, ElsewhereView, InvalidView};
pub use scanner::Scanner;
