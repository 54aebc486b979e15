mod use_camera;
mod use_lookup;
mod use_page_visible;
mod use_photo;
mod use_scan_loop;

pub use use_camera::{CameraState, use_camera};
pub use use_lookup::{Counting, PROVINCE_KEY, use_lookup};
use use_page_visible::use_page_visible;
pub use use_photo::use_photo;
pub use use_scan_loop::{Decoding, use_scan_loop};
