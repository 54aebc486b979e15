//! The pure logic of tem: what a stamp says, what a trace record holds, and what a shopper
//! should conclude. Nothing here touches a browser, so the widget, the CLI and the portal
//! share it and it is tested natively.

pub mod base64url;
pub mod depth;
pub mod epcis;
pub mod gs1;
pub mod json;
pub mod order;
pub mod payload;
pub mod record;
pub mod scan;
pub mod stage;
pub mod text;
pub mod time;
pub mod trust;
pub mod verdict;

pub use record::TraceRecord;
pub use stage::Stage;
