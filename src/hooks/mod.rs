mod use_camera;
mod use_lookup;
mod use_scan_loop;

pub use use_camera::{CameraState, use_camera};
pub use use_lookup::{PROVINCE_KEY, use_lookup};
pub use use_scan_loop::use_scan_loop;
